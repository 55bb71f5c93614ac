package io.patchloop.api.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a state-changing request acts on, read from its path alone: {@code POST /api/v1/tickets/T-1/pause}
 * is resource {@code tickets}, target {@code T-1}, action {@code pause}; {@code PUT /api/v1/hosts/7} is
 * {@code hosts}, {@code 7}, {@code update}. Console paths name the same resources as the API.
 *
 * @param targetId null for a create (the filter fills it in from the response's Location) and for collection verbs such as import
 */
record AuditTarget(String resource, String targetId, String action) {

  static final String API_PREFIX = "/api/v1/";
  static final String CONSOLE_PREFIX = "/console/";

  /** Verbs on a whole collection, not on one item: {@code POST /api/v1/hosts/import}. */
  private static final Set<String> COLLECTION_VERBS = Set.of("import");

  /** Console paths whose first segments name an API resource differently. */
  private static final Map<String, String> CONSOLE_RESOURCES = Map.of(
      "notifications/channels", "notification-channels",
      "notifications/subscriptions", "notification-subscriptions",
      "plans", "inspection-plans");

  static AuditTarget ofApi(String method, String path) {
    return of(method, segments(path.substring(API_PREFIX.length())), false);
  }

  static AuditTarget ofConsole(String method, String path) {
    String rest = path.substring(CONSOLE_PREFIX.length());
    if (rest.equals("sign-in") || rest.equals("sign-out")) {
      return new AuditTarget("console-session", null, rest);
    }
    for (var e : CONSOLE_RESOURCES.entrySet()) {
      if (rest.equals(e.getKey()) || rest.startsWith(e.getKey() + "/")) {
        rest = e.getValue() + rest.substring(e.getKey().length());
        break;
      }
    }
    return of(method, segments(rest), true);
  }

  /** @param postUpdates the console sends an item's edit form as a POST to the item */
  private static AuditTarget of(String method, List<String> s, boolean postUpdates) {
    if (s.isEmpty()) {
      return new AuditTarget("(root)", null, verb(method));
    }
    String resource = s.get(0);
    if (s.size() == 1) {
      return new AuditTarget(resource, null, verb(method));
    }
    if (s.size() == 2) {
      if (COLLECTION_VERBS.contains(s.get(1)) || method.equals("POST") && !postUpdates) {
        return new AuditTarget(resource, null, s.get(1));
      }
      return new AuditTarget(resource, s.get(1), method.equals("POST") ? "update" : verb(method));
    }
    // /hosts/7/host-key (PUT, DELETE) is the host's key; /tickets/T-1/pause (POST) is a verb on the ticket
    if (method.equals("POST")) {
      return new AuditTarget(resource, s.get(1), String.join("-", s.subList(2, s.size())));
    }
    return new AuditTarget(String.join("/", s.subList(2, s.size())), s.get(1), verb(method));
  }

  private static String verb(String method) {
    return switch (method) {
      case "POST" -> "create";
      case "PUT", "PATCH" -> "update";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static List<String> segments(String rest) {
    List<String> out = new ArrayList<>();
    for (String part : rest.split("/")) {
      if (!part.isEmpty()) {
        out.add(part);
      }
    }
    return out;
  }
}
