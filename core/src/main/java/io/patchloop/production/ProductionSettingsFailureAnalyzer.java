package io.patchloop.production;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns the production check's findings into Spring Boot's "APPLICATION FAILED TO START" report:
 * each setting with its property, its environment variable and the reason, and no stack trace
 * (a reported failure is not printed again).
 */
public class ProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProductionSettingsException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ProductionSettingsException cause) {
    StringBuilder description = new StringBuilder()
        .append("Patchloop runs with the production profile, which has no fallback for these settings; ")
        .append(cause.problems().size() == 1 ? "one of them is" : cause.problems().size() + " of them are")
        .append(" missing or not valid:\n");
    for (SettingProblem problem : cause.problems()) {
      description.append("\n    ").append(problem.describe());
    }
    String action = """
        Set each setting listed above, as the environment variable named in parentheses (or as the property, \
        e.g. in an application.yaml next to the jar), and start again. The README's "Production" section shows \
        a complete configuration. Only without the production profile does Patchloop fall back to a local \
        database and Temporal, for development.""";
    return new FailureAnalysis(description.toString(), action, cause);
  }
}
