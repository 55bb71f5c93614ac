package io.patchloop.production;

import java.util.List;

/**
 * The settings one part of Patchloop cannot run without in production, checked before anything
 * starts. Each module lists its own in {@code META-INF/spring.factories} under this interface's
 * name: core the database, Temporal and the master key, the API its tokens, so a worker is not
 * asked for API tokens. They are asked in their {@code @Order}: core's {@link #CORE_ORDER} first.
 */
public interface ProductionRequirement {

  /** Core's settings come first in the report; a module's own come after ({@link #MODULE_ORDER}). */
  int CORE_ORDER = 0;
  int MODULE_ORDER = 100;

  /** Every problem this part finds, none when its settings are complete; never throws for a bad value. */
  List<SettingProblem> check(ProductionSettings settings);
}
