package io.patchloop.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The search attributes Patchloop sets on ticket workflows, so ops can find a ticket in the
 * Temporal Web UI. A real cluster needs them created once (infra/temporal/setup-patchloop.sh
 * lists the same names); the embedded server gets them at start.
 */
public final class TicketSearchAttributes {

  public static final SearchAttributeKey<String> TICKET_ID = SearchAttributeKey.forKeyword("PatchloopTicketId");
  public static final SearchAttributeKey<String> OPERATION = SearchAttributeKey.forKeyword("PatchloopOperation");
  public static final SearchAttributeKey<String> BASELINE = SearchAttributeKey.forKeyword("PatchloopBaseline");
  public static final SearchAttributeKey<String> EXTERNAL_REF = SearchAttributeKey.forKeyword("PatchloopExternalRef");

  public static final List<SearchAttributeKey<String>> ALL = List.of(TICKET_ID, OPERATION, BASELINE, EXTERNAL_REF);

  private TicketSearchAttributes() {}
}
