package io.patchloop.console;

/** The console's session cookie, named in patchloop-api.yaml (server.servlet.session.cookie.name). */
final class ConsoleSession {

  static final String COOKIE = "PATCHLOOP_SESSION";

  private ConsoleSession() {}
}
