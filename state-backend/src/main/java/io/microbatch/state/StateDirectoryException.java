package io.microbatch.state;

import java.nio.file.Path;

/**
 * The directory a backend keeps a partition's state in cannot be used. Thrown by {@link
 * StateBackend#open} so that a misconfigured {@code --stateDir} fails at once, naming the
 * directory and what is wrong with it, instead of as an obscure native error later.
 */
public final class StateDirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the directory. */
  public enum Reason {
    /** It does not exist and cannot be created (e.g. a parent is a file or not writable). */
    NOT_CREATABLE("does not exist and cannot be created"),
    /** It exists but files cannot be created in it. */
    READ_ONLY("is not writable"),
    /** Another open store (in this or another process) holds its lock. */
    LOCKED("is locked by another open state store");

    private final String text;

    Reason(String text) {
      this.text = text;
    }
  }

  private final transient Path directory;
  private final Reason reason;

  public StateDirectoryException(Path directory, Reason reason, Throwable cause) {
    super("State directory " + directory + " " + reason.text
        + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    this.directory = directory;
    this.reason = reason;
  }

  public Path directory() {
    return directory;
  }

  public Reason reason() {
    return reason;
  }
}
