package io.patchloop.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON that Patchloop writes itself: columns that hold a list or a settings object, message
 * payloads. Writing our own values cannot fail short of a bug, and reading back what we wrote
 * fails only if the database was edited by hand; both are {@link IllegalStateException}s.
 */
public final class JsonText {

  /** Plain Jackson: for values without dates. */
  public static final ObjectMapper PLAIN = new ObjectMapper();
  /** Instants as ISO-8601 text, as people and other systems read them. */
  public static final ObjectMapper WITH_TIMES = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private JsonText() {}

  public static String write(Object value) {
    return write(PLAIN, value);
  }

  public static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** @param where the table or column, named in the error when the text is not what we wrote */
  public static <T> T read(String json, Class<T> type, String where) {
    try {
      return PLAIN.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(where + " holds malformed JSON", e);
    }
  }

  public static <T> T read(String json, TypeReference<T> type, String where) {
    try {
      return PLAIN.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(where + " holds malformed JSON", e);
    }
  }
}
