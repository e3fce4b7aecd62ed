package io.microbatch.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microbatch.checkpoint.FrameCodec.InvalidFrameException;
import io.microbatch.checkpoint.FrameCodec.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every torn or foreign checkpoint file is detected by its header, never misread. */
class FrameCodecTest {
  private static final byte[] PAYLOAD = "offsets of batch 7".getBytes(StandardCharsets.UTF_8);

  private static String rejection(Kind kind, byte[] file) {
    return assertThrows(InvalidFrameException.class, () -> FrameCodec.decode(kind, file))
        .getMessage();
  }

  @Test
  void roundTripsThePayload() throws Exception {
    assertThat(FrameCodec.decode(Kind.OFFSETS, FrameCodec.encode(Kind.OFFSETS, PAYLOAD)),
        equalTo(PAYLOAD));
    assertThat(FrameCodec.decode(Kind.COMMIT, FrameCodec.encode(Kind.COMMIT, new byte[0])),
        equalTo(new byte[0]));
  }

  @Test
  void rejectsTruncatedExtendedAndEmptyFiles() {
    byte[] file = FrameCodec.encode(Kind.OFFSETS, PAYLOAD);
    assertThat(rejection(Kind.OFFSETS, Arrays.copyOf(file, file.length - 1)),
        containsString("length mismatch"));
    assertThat(rejection(Kind.OFFSETS, Arrays.copyOf(file, 9)), containsString("truncated"));
    assertThat(rejection(Kind.OFFSETS, new byte[0]), containsString("truncated"));
    assertThat(rejection(Kind.OFFSETS, Arrays.copyOf(file, file.length + 4)),
        containsString("length mismatch"));
  }

  @Test
  void rejectsAFlippedBitAnywhere() {
    byte[] file = FrameCodec.encode(Kind.OFFSETS, PAYLOAD);
    for (int i = 0; i < file.length; i++) {
      byte[] damaged = file.clone();
      damaged[i] ^= 0x01;
      final int at = i;
      assertThrows(InvalidFrameException.class, () -> FrameCodec.decode(Kind.OFFSETS, damaged),
          () -> "flipped bit at byte " + at);
    }
  }

  @Test
  void rejectsAFileOfAnotherKind() {
    assertThat(rejection(Kind.OFFSETS, FrameCodec.encode(Kind.COMMIT, PAYLOAD)),
        containsString("expected OFFSETS"));
  }
}
