package io.patchloop.production;

import java.util.List;
import java.util.stream.Collectors;

/** Every production setting that is missing or not valid, found at once; {@link ProductionSettingsFailureAnalyzer} explains it. */
public class ProductionSettingsException extends RuntimeException {

  private final transient List<SettingProblem> problems;

  public ProductionSettingsException(List<SettingProblem> problems) {
    super("production settings missing or not valid: "
        + problems.stream().map(SettingProblem::property).collect(Collectors.joining(", ")));
    this.problems = List.copyOf(problems);
  }

  public List<SettingProblem> problems() {
    return problems;
  }
}
