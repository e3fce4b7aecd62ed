package io.microbatch.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a checkpoint's state and offsets depend on: the ordered list of steps of the job, each with
 * its name, its kind (e.g. {@code KeyedStep}) and descriptions of the coders it reads or writes
 * state and offsets with. Two fingerprints are equal when every step is; {@link
 * #describeDifference} says in words what differs.
 */
public final class JobFingerprint {

  /**
   * One step of the job.
   *
   * @param name the unique step name (Beam's full transform name)
   * @param kind what the step is (engine step type, source type ...)
   * @param coders descriptions of the step's coders, in a fixed order
   */
  public record Step(String name, String kind, List<String> coders) {
    public Step {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      coders = List.copyOf(coders);
    }

    private boolean sameShape(Step other) {
      return kind.equals(other.kind) && coders.equals(other.coders);
    }
  }

  /** Collects steps in order. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();

    private Builder() {}

    /** Adds the next step. */
    public Builder step(String name, String kind, List<String> coders) {
      steps.add(new Step(name, kind, coders));
      return this;
    }

    /** Adds the next step. */
    public Builder step(String name, String kind, String... coders) {
      return step(name, kind, List.of(coders));
    }

    /**
     * @throws IllegalArgumentException if two steps have the same name
     */
    public JobFingerprint build() {
      Map<String, Step> seen = new LinkedHashMap<>();
      for (Step step : steps) {
        if (seen.put(step.name(), step) != null) {
          throw new IllegalArgumentException("Two steps are named '" + step.name() + "'");
        }
      }
      return new JobFingerprint(steps);
    }
  }

  private final List<Step> steps;

  private JobFingerprint(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Step> steps() {
    return steps;
  }

  /** SHA-256 of the encoded fingerprint, in hex: a short identity for logs. */
  public String digest() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * How {@code newer} differs from this fingerprint (read as: this is the job that wrote the
   * checkpoint, {@code newer} the job starting now), e.g. {@code step 'Count' was renamed to
   * 'CountWords'; step 'Sum' changed its coders from [VarLongCoder] to [VarIntCoder]}; empty when
   * they are equal.
   */
  public Optional<String> describeDifference(JobFingerprint newer) {
    if (equals(newer)) {
      return Optional.empty();
    }
    Map<String, Step> old = byName(steps);
    Map<String, Step> now = byName(newer.steps);
    List<Step> removed = new ArrayList<>();
    List<Step> added = new ArrayList<>();
    for (Step step : steps) {
      if (!now.containsKey(step.name())) {
        removed.add(step);
      }
    }
    for (Step step : newer.steps) {
      if (!old.containsKey(step.name())) {
        added.add(step);
      }
    }
    List<String> differences = new ArrayList<>();
    for (Step gone : new ArrayList<>(removed)) {
      for (Step fresh : added) {
        if (gone.sameShape(fresh)) {
          differences.add("step '" + gone.name() + "' was renamed to '" + fresh.name() + "'");
          removed.remove(gone);
          added.remove(fresh);
          break;
        }
      }
    }
    for (Step gone : removed) {
      differences.add("step '" + gone.name() + "' (" + gone.kind() + ") was removed");
    }
    for (Step fresh : added) {
      differences.add("step '" + fresh.name() + "' (" + fresh.kind() + ") was added");
    }
    for (Step before : steps) {
      Step after = now.get(before.name());
      if (after == null) {
        continue;
      }
      if (!before.kind().equals(after.kind())) {
        differences.add("step '" + before.name() + "' changed from " + before.kind() + " to "
            + after.kind());
      }
      if (!before.coders().equals(after.coders())) {
        differences.add("step '" + before.name() + "' changed its coders from "
            + before.coders() + " to " + after.coders());
      }
    }
    if (differences.isEmpty()) {
      differences.add("the steps are the same but in a different order: was "
          + names(steps) + ", now " + names(newer.steps));
    }
    return Optional.of(String.join("; ", differences));
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(steps.size());
      for (Step step : steps) {
        writeString(out, step.name());
        writeString(out, step.kind());
        out.writeInt(step.coders().size());
        for (String coder : step.coders()) {
          writeString(out, coder);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static JobFingerprint decode(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    Builder builder = builder();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String name = readString(in);
      String kind = readString(in);
      int coderCount = in.readInt();
      List<String> coders = new ArrayList<>(coderCount);
      for (int j = 0; j < coderCount; j++) {
        coders.add(readString(in));
      }
      builder.step(name, kind, coders);
    }
    if (in.available() != 0) {
      throw new IOException("Trailing bytes after the job fingerprint");
    }
    return builder.build();
  }

  static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("Bad string length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static Map<String, Step> byName(List<Step> steps) {
    Map<String, Step> map = new LinkedHashMap<>();
    for (Step step : steps) {
      map.put(step.name(), step);
    }
    return map;
  }

  private static List<String> names(List<Step> steps) {
    return steps.stream().map(Step::name).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobFingerprint other && steps.equals(other.steps);
  }

  @Override
  public int hashCode() {
    return steps.hashCode();
  }

  @Override
  public String toString() {
    return "JobFingerprint" + names(steps);
  }
}
