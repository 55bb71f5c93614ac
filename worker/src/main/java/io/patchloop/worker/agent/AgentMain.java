package io.patchloop.worker.agent;

/**
 * Entry point of the agent mode of the worker jar (see infra/agent/patchloop-agent): no Spring, no
 * database, only Temporal. It refuses to start without TLS settings unless given {@code
 * --insecure-plaintext} (or {@code PATCHLOOP_AGENT_INSECURE_PLAINTEXT=true}). Logging is set up before the first logger exists, or logback would
 * start at DEBUG for every library.
 */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "patchloop-agent-logback.xml");
    }
    AgentConfig config;
    try {
      config = AgentConfig.from(System.getenv(), java.util.List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("patchloop-agent: cannot start:\n" + e.getMessage());
      System.exit(2);
      return;
    }
    Agent agent = new Agent(config);
    Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "patchloop-agent-stop"));
    try {
      agent.start();
    } catch (RuntimeException e) {
      System.err.println("patchloop-agent: cannot start: " + e.getMessage());
      System.exit(1);
    }
  }
}
