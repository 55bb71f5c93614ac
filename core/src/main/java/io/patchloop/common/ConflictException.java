package io.patchloop.common;

/** The request is well formed but clashes with the stored state (a duplicate name, the last default); the API answers 409. */
public class ConflictException extends RuntimeException {

  private final String field;

  public ConflictException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
