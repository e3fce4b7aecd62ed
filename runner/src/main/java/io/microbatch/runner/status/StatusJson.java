package io.microbatch.runner.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes {@link StatusSnapshot}s as the JSON of {@code /api/status}, named as the records are. */
public final class StatusJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusJson() {}

  /** The snapshot as UTF-8 JSON. */
  public static byte[] write(StatusSnapshot snapshot) {
    try {
      return MAPPER.writeValueAsBytes(snapshot);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the status as JSON", e);
    }
  }
}
