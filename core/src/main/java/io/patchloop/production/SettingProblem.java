package io.patchloop.production;

/**
 * One production setting that is missing or not valid: the property Spring binds, the environment
 * variable an operator sets for it, and why it does not do.
 */
public record SettingProblem(String property, String environmentVariable, String reason) {

  /** How the start failure lists it: {@code spring.datasource.url (PATCHLOOP_DB_URL): not set; ...}. */
  public String describe() {
    return property + " (" + environmentVariable + "): " + reason;
  }
}
