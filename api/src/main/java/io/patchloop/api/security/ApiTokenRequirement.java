package io.patchloop.api.security;

import io.patchloop.production.ProductionRequirement;
import io.patchloop.production.ProductionSettings;
import io.patchloop.production.SettingProblem;
import io.patchloop.tickets.TicketIdempotencyKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.annotation.Order;

/**
 * The API's part of the production check: at least one token, each with a name, a role and a
 * secret long enough, none repeated; the rules {@link TokenRegistry} applies when it is built,
 * checked here for every token at once and before anything starts. Listed in the api module's
 * spring.factories, so only processes that serve the API are asked for tokens.
 */
@Order(ProductionRequirement.MODULE_ORDER)
public final class ApiTokenRequirement implements ProductionRequirement {

  private static final String TOKENS = "patchloop.security.tokens";
  private static final String ROLES =
      Arrays.stream(Role.values()).map(Role::name).collect(Collectors.joining(", "));

  /** A token as configured, its role still the text given, so an unknown role is reported rather than thrown. */
  record ConfiguredToken(String name, String token, String role) {}

  @Override
  public List<SettingProblem> check(ProductionSettings settings) {
    List<ConfiguredToken> tokens;
    try {
      tokens = Binder.get(settings.environment())
          .bind(TOKENS, Bindable.listOf(ConfiguredToken.class))
          .orElse(List.of());
    } catch (RuntimeException e) {
      return List.of(new SettingProblem(TOKENS, "PATCHLOOP_SECURITY_TOKENS_<n>_NAME, _TOKEN, _ROLE",
          "cannot be read: " + e.getMessage()));
    }
    if (tokens.isEmpty()) {
      return standaloneGeneratesAdminToken(settings) ? List.of() : List.of(new SettingProblem(TOKENS,
          "PATCHLOOP_SECURITY_TOKENS_0_NAME, PATCHLOOP_SECURITY_TOKENS_0_TOKEN, PATCHLOOP_SECURITY_TOKENS_0_ROLE",
          "none configured; the API needs at least one token: a name, a secret of at least "
              + TokenRegistry.MIN_TOKEN_LENGTH + " characters (openssl rand -base64 32) and a role (" + ROLES + ")"));
    }
    List<SettingProblem> problems = new ArrayList<>();
    Map<String, Integer> firstIndexBySecret = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      ConfiguredToken token = tokens.get(i);
      String name = token.name();
      if (name == null || name.isBlank()) {
        problems.add(problem(i, "name", "not set; who the token belongs to, e.g. ops-admin"));
      } else if (name.length() > TicketIdempotencyKeys.MAX_OWNER) {
        // the name owns the idempotency keys the token uses, and is stored with them
        problems.add(problem(i, "name", "is " + name.length() + " characters; at most " + TicketIdempotencyKeys.MAX_OWNER));
      }
      if (token.role() == null || token.role().isBlank()) {
        problems.add(problem(i, "role", "not set; one of " + ROLES));
      } else if (role(token.role()).isEmpty()) {
        problems.add(problem(i, "role", "is not a role; one of " + ROLES));
      }
      String secret = token.token();
      if (secret == null || secret.isEmpty()) {
        problems.add(problem(i, "token", "not set; a secret of at least " + TokenRegistry.MIN_TOKEN_LENGTH
            + " characters (openssl rand -base64 32)"));
      } else if (secret.length() < TokenRegistry.MIN_TOKEN_LENGTH) {
        problems.add(problem(i, "token", "is " + secret.length() + " characters; at least "
            + TokenRegistry.MIN_TOKEN_LENGTH + " (openssl rand -base64 32)"));
      } else {
        Integer first = firstIndexBySecret.putIfAbsent(secret, i);
        if (first != null) {
          problems.add(problem(i, "token", "repeats the secret of " + TOKENS + "[" + first + "]; each token needs its own"));
        }
      }
    }
    return problems;
  }

  /** The standalone application makes an admin token itself when none is configured (TokenRegistry). */
  private static boolean standaloneGeneratesAdminToken(ProductionSettings settings) {
    return Boolean.parseBoolean(settings.value("patchloop.security.generate-admin-token"))
        && settings.value("patchloop.security.admin-token-file") != null;
  }

  private static SettingProblem problem(int index, String field, String reason) {
    return new SettingProblem(TOKENS + "[" + index + "]." + field,
        "PATCHLOOP_SECURITY_TOKENS_" + index + "_" + field.toUpperCase(Locale.ROOT), reason);
  }

  /** As Spring binds an enum: case and dashes or underscores do not matter. */
  static Optional<Role> role(String text) {
    String wanted = lettersAndDigits(text);
    return Arrays.stream(Role.values()).filter(r -> lettersAndDigits(r.name()).equals(wanted)).findFirst();
  }

  private static String lettersAndDigits(String text) {
    return text.chars().filter(Character::isLetterOrDigit).map(Character::toLowerCase)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }
}
