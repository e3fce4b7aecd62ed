package io.microbatch.checkpoint;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link JobFingerprint#describeDifference} says in words what changed between two jobs. */
class JobFingerprintTest {
  private static final JobFingerprint OLD = JobFingerprint.builder()
      .step("Read", "SourceStep", "KafkaRecordCoder")
      .step("Count", "KeyedStep", "StringUtf8Coder", "VarLongCoder")
      .step("Write", "ElementStep", "StringUtf8Coder")
      .build();

  @Test
  void equalJobsHaveNoDifferenceAndSurviveEncoding() throws Exception {
    JobFingerprint same = JobFingerprint.decode(OLD.encode());
    assertThat(same, equalTo(OLD));
    assertThat(OLD.describeDifference(same), equalTo(Optional.empty()));
    assertThat(same.digest(), equalTo(OLD.digest()));
  }

  @Test
  void namesARenamedStep() {
    JobFingerprint now = JobFingerprint.builder()
        .step("Read", "SourceStep", "KafkaRecordCoder")
        .step("CountWords", "KeyedStep", "StringUtf8Coder", "VarLongCoder")
        .step("Write", "ElementStep", "StringUtf8Coder")
        .build();
    assertThat(OLD.describeDifference(now).orElseThrow(),
        equalTo("step 'Count' was renamed to 'CountWords'"));
  }

  @Test
  void namesAddedAndRemovedSteps() {
    JobFingerprint now = JobFingerprint.builder()
        .step("Read", "SourceStep", "KafkaRecordCoder")
        .step("Count", "KeyedStep", "StringUtf8Coder", "VarLongCoder")
        .step("Dedupe", "KeyedStep", "StringUtf8Coder")
        .build();
    assertThat(OLD.describeDifference(now).orElseThrow(),
        equalTo("step 'Write' (ElementStep) was removed; step 'Dedupe' (KeyedStep) was added"));
  }

  @Test
  void namesAChangedCoderAndKind() {
    JobFingerprint now = JobFingerprint.builder()
        .step("Read", "SourceStep", "KafkaRecordCoder")
        .step("Count", "KeyedStep", "StringUtf8Coder", "VarIntCoder")
        .step("Write", "KeyedStep", "StringUtf8Coder")
        .build();
    assertThat(OLD.describeDifference(now).orElseThrow(),
        equalTo("step 'Count' changed its coders from [StringUtf8Coder, VarLongCoder] to "
            + "[StringUtf8Coder, VarIntCoder]; step 'Write' changed from ElementStep to KeyedStep"));
  }

  @Test
  void namesAReordering() {
    JobFingerprint now = JobFingerprint.builder()
        .step("Count", "KeyedStep", "StringUtf8Coder", "VarLongCoder")
        .step("Read", "SourceStep", "KafkaRecordCoder")
        .step("Write", "ElementStep", "StringUtf8Coder")
        .build();
    assertThat(OLD.describeDifference(now).orElseThrow(),
        equalTo("the steps are the same but in a different order: was [Read, Count, Write], "
            + "now [Count, Read, Write]"));
  }

  @Test
  void refusesDuplicateStepNames() {
    assertThrows(IllegalArgumentException.class,
        () -> JobFingerprint.builder().step("A", "k").step("A", "k").build());
  }
}
