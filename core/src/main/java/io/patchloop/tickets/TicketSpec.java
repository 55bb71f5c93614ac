package io.patchloop.tickets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.patchloop.common.JsonText;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostQuery;
import io.patchloop.hosts.HostSpec;
import io.patchloop.workflows.hooks.HostHook;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A ticket as the API takes it. Hosts by {@code hostIds} or by {@code selector}; a null baseline
 * means each host's OS default baseline.
 *
 * @param metadataRefresh when every inventory the ticket collects refreshes the hosts' repository
 *     metadata first; null means {@link MetadataRefresh#AUTO}
 * @param preHook REPAIR only: the hook script run on each host before its install ("drain-node",
 *     its newest version, or "drain-node@3"); a host whose pre-hook fails is not touched
 * @param postHook REPAIR only: the hook script run on each host after its install (and reboot)
 * @param maintenanceWindow the name of the maintenance window no host of the ticket may start
 *     outside of; every host must be one the window covers
 * @param batchHook REPAIR only: where to POST, signed with its secret, before each batch starts and
 *     after it ends; anything but a 2xx answer stops the ticket (ABNORMAL)
 */
public record TicketSpec(
    Operation operation,
    List<Long> hostIds,
    Selector selector,
    Long baselineId,
    BatchSpec batch,
    Integer concurrency,
    SuspensionSpec suspension,
    Instant startAt,
    RebootOption rebootOption,
    Integer rebootTimeoutSeconds,
    String externalRef,
    Callback callback,
    MetadataRefresh metadataRefresh,
    String preHook,
    String postHook,
    String maintenanceWindow,
    Callback batchHook) {

  /**
   * An empty {@code hostIds} beside a selector is no host list: clients generated from the OpenAPI
   * description send every array they hold, empty ones too, and mean the selector.
   */
  public TicketSpec {
    if (hostIds != null && hostIds.isEmpty() && selector != null) {
      hostIds = null;
    }
  }

  /** A ticket without a batch hook. */
  public TicketSpec(Operation operation, List<Long> hostIds, Selector selector, Long baselineId, BatchSpec batch,
      Integer concurrency, SuspensionSpec suspension, Instant startAt, RebootOption rebootOption,
      Integer rebootTimeoutSeconds, String externalRef, Callback callback, MetadataRefresh metadataRefresh,
      String preHook, String postHook, String maintenanceWindow) {
    this(operation, hostIds, selector, baselineId, batch, concurrency, suspension, startAt, rebootOption,
        rebootTimeoutSeconds, externalRef, callback, metadataRefresh, preHook, postHook, maintenanceWindow, null);
  }

  /** A ticket bound to no maintenance window. */
  public TicketSpec(Operation operation, List<Long> hostIds, Selector selector, Long baselineId, BatchSpec batch,
      Integer concurrency, SuspensionSpec suspension, Instant startAt, RebootOption rebootOption,
      Integer rebootTimeoutSeconds, String externalRef, Callback callback, MetadataRefresh metadataRefresh,
      String preHook, String postHook) {
    this(operation, hostIds, selector, baselineId, batch, concurrency, suspension, startAt, rebootOption,
        rebootTimeoutSeconds, externalRef, callback, metadataRefresh, preHook, postHook, null);
  }

  /** A ticket without hooks. */
  public TicketSpec(Operation operation, List<Long> hostIds, Selector selector, Long baselineId, BatchSpec batch,
      Integer concurrency, SuspensionSpec suspension, Instant startAt, RebootOption rebootOption,
      Integer rebootTimeoutSeconds, String externalRef, Callback callback, MetadataRefresh metadataRefresh) {
    this(operation, hostIds, selector, baselineId, batch, concurrency, suspension, startAt, rebootOption,
        rebootTimeoutSeconds, externalRef, callback, metadataRefresh, null, null, null);
  }

  /** A ticket that leaves the metadata refresh to its default. */
  public TicketSpec(Operation operation, List<Long> hostIds, Selector selector, Long baselineId, BatchSpec batch,
      Integer concurrency, SuspensionSpec suspension, Instant startAt, RebootOption rebootOption,
      Integer rebootTimeoutSeconds, String externalRef, Callback callback) {
    this(operation, hostIds, selector, baselineId, batch, concurrency, suspension, startAt, rebootOption,
        rebootTimeoutSeconds, externalRef, callback, null);
  }

  /**
   * Where to POST once when the ticket ends; with a {@code secret}, the POST is signed like a
   * webhook channel's ({@code X-Patchloop-Signature: sha256=<hex HMAC-SHA256(secret, body)>}).
   */
  public record Callback(String url, String secret) {

    void validate(Problems problems) {
      problems.httpUrl("url", url, 2000);
      if (secret != null && (secret.length() < 16 || secret.length() > 256)) {
        problems.add("secret", "must be 16 to 256 characters (it signs the callback)");
      }
    }
  }

  /** A ticketing system's reference such as CHG0031337. */
  public static final Pattern EXTERNAL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}");

  /**
   * Hosts that carry every given tag and the OS family, or {@code all}; {@code complianceStatus}
   * narrows either to hosts whose newest report says so, and {@code missingAdvisory} to hosts whose
   * newest report lists that advisory as not installed (MISSING or FAILED), both under the ticket's
   * baseline when it names one. Every field given must hold (AND).
   */
  public record Selector(Map<String, String> tags, OsFamily osFamily, Boolean all,
      Host.ComplianceStatus complianceStatus, String missingAdvisory) {

    /** A selector that does not ask for an advisory. */
    public Selector(Map<String, String> tags, OsFamily osFamily, Boolean all, Host.ComplianceStatus complianceStatus) {
      this(tags, osFamily, all, complianceStatus, null);
    }
  }

  public static final int MAX_HOSTS = 10_000;
  /** No host carries more tags, so a selector of more could match none. */
  public static final int MAX_SELECTOR_TAGS = HostSpec.MAX_TAGS;
  public static final int MAX_START_DAYS = 366;
  public static final int DEFAULT_CONCURRENCY = 5;
  /**
   * Hosts a batch works on at once: 200, measured on simulated hosts (README, "Scale"). At 500 the
   * batch's workflow task that schedules the record steps of hosts collected together carries their
   * inventories, and went past gRPC's 4 MiB message limit; the worker's activity slots
   * (patchloop-worker.yaml, capacity) are set well above it.
   */
  public static final int MAX_CONCURRENCY = 200;
  public static final int DEFAULT_REBOOT_TIMEOUT_SECONDS = RebootOption.DEFAULT_TIMEOUT_SECONDS;
  public static final int MIN_REBOOT_TIMEOUT_SECONDS = 30;
  public static final int MAX_REBOOT_TIMEOUT_SECONDS = RebootOption.MAX_TIMEOUT_SECONDS;

  /** The request as the caller wrote it: what was left out stays out, dates as ISO-8601. */
  private static final ObjectMapper AS_GIVEN = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  /** As given, but every map's entries by key: {@code selector.tags} mean the same in any order. */
  private static final ObjectMapper CANONICAL = AS_GIVEN.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /**
   * The request as one canonical JSON text (fields in declaration order, map entries by key, the
   * callback secret included): what an idempotency key binds, so the same text must come of the
   * same request forever.
   */
  String canonicalJson() {
    return JsonText.write(CANONICAL, this);
  }

  /**
   * The text keys stored before map entries were sorted are bound to: maps in the order the caller
   * wrote them. Only those old keys are compared with it.
   */
  String canonicalJsonInGivenOrder() {
    return JsonText.write(AS_GIVEN, this);
  }

  /** The ticket's parameters as stored and shown: the request as given, but never the callback's or batch hook's secret. */
  String parametersJson() {
    TicketSpec shown = new TicketSpec(operation, hostIds, selector, baselineId, batch, concurrency, suspension, startAt,
        rebootOption, rebootTimeoutSeconds, externalRef, masked(callback), metadataRefresh, preHook, postHook,
        maintenanceWindow, masked(batchHook));
    return JsonText.write(AS_GIVEN, shown);
  }

  private static Callback masked(Callback c) {
    return c == null || c.secret() == null ? c : new Callback(c.url(), "********");
  }

  BatchSpec batchOrDefault() {
    return batch == null ? BatchSpec.none() : batch;
  }

  int concurrencyOrDefault() {
    return concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
  }

  SuspensionSpec suspensionOrDefault() {
    return suspension == null ? SuspensionSpec.never() : suspension;
  }

  /** A repair that does not ask to reboot never reboots; a scan has no reboot option at all. */
  RebootOption rebootOptionOrDefault() {
    return operation == Operation.REPAIR && rebootOption == null ? RebootOption.NO_REBOOT : rebootOption;
  }

  MetadataRefresh metadataRefreshOrDefault() {
    return MetadataRefresh.orDefault(metadataRefresh);
  }

  int rebootTimeoutSecondsOrDefault() {
    return rebootTimeoutSeconds == null ? DEFAULT_REBOOT_TIMEOUT_SECONDS : rebootTimeoutSeconds;
  }

  /**
   * Checks the request's own fields, with the defaults of those left out. Whatever needs the stores
   * (the baseline exists, the hosts, their reports and agents) is {@link TicketService}'s to check.
   *
   * @param now what {@code startAt} must come after
   */
  public void validate(Problems problems, Instant now) {
    problems.required("operation", operation);
    validateHosts(problems);
    if (externalRef != null && !EXTERNAL_REF.matcher(externalRef).matches()) {
      problems.add("externalRef", "must be 1-64 letters, digits, '.', '_', ':', '/', '#' or '-', such as CHG0031337");
    }
    if (callback != null) {
      callback.validate(problems.nested("callback"));
    }
    if (startAt != null) {
      if (!startAt.isAfter(now)) {
        problems.add("startAt", "must be in the future; omit it to start now");
      } else if (startAt.isAfter(now.plus(Duration.ofDays(MAX_START_DAYS)))) {
        problems.add("startAt", "must be within " + MAX_START_DAYS + " days");
      }
    }
    validateReboot(problems);
    validateHook(problems, "preHook", preHook);
    validateHook(problems, "postHook", postHook);
    if (batchHook != null) {
      if (operation != Operation.REPAIR) {
        problems.add("batchHook", "applies to REPAIR tickets only: it runs around each batch of installs");
      } else {
        batchHook.validate(problems.nested("batchHook"));
        if (batchHook.secret() == null) {
          problems.add("batchHook.secret", "is required: each call is signed with it");
        }
      }
    }
    if (maintenanceWindow != null && !HostHook.NAME.matcher(maintenanceWindow).matches()) {
      problems.add("maintenanceWindow", "must name a maintenance window, such as sunday-night");
    }
    validateBatch(problems, batchOrDefault());
    problems.range("concurrency", concurrencyOrDefault(), 1, MAX_CONCURRENCY);
    SuspensionSpec s = suspensionOrDefault();
    if (s.maxFailures() != null && s.maxFailurePercent() != null) {
      problems.add("suspension", "give at most one of maxFailures or maxFailurePercent");
    }
    problems.range("suspension.maxFailures", s.maxFailures(), 1, MAX_HOSTS);
    problems.range("suspension.maxFailurePercent", s.maxFailurePercent(), 1, 100);
  }

  private void validateHosts(Problems problems) {
    boolean byIds = hostIds != null;
    boolean bySelector = selector != null;
    if (byIds == bySelector) {
      problems.add("hostIds", "give exactly one of hostIds or selector");
    } else if (byIds && (hostIds.isEmpty() || hostIds.size() > MAX_HOSTS)) {
      problems.add("hostIds", "must list 1 to " + MAX_HOSTS + " host ids");
    } else if (bySelector) {
      boolean all = Boolean.TRUE.equals(selector.all());
      boolean narrowed = (selector.tags() != null && !selector.tags().isEmpty()) || selector.osFamily() != null
          || selector.complianceStatus() != null || selector.missingAdvisory() != null;
      if (all == narrowed) {
        problems.add("selector", "give either all: true, or tags, osFamily, complianceStatus and/or missingAdvisory");
      }
      if (selector.missingAdvisory() != null && !HostQuery.isAdvisoryId(selector.missingAdvisory())) {
        problems.add("selector.missingAdvisory", HostQuery.NOT_AN_ADVISORY_ID);
      }
      if (selector.tags() != null) {
        if (selector.tags().size() > MAX_SELECTOR_TAGS) {
          // each tag is one more condition of the host query, and no host could match more than it carries
          problems.add("selector.tags", "at most " + MAX_SELECTOR_TAGS + " tags (a host carries at most "
              + HostSpec.MAX_TAGS + ")");
          return;
        }
        selector.tags().forEach((k, v) -> {
          if (k.length() > HostSpec.MAX_TAG_KEY_LENGTH) {
            problems.add("selector.tags", "tag keys must be at most " + HostSpec.MAX_TAG_KEY_LENGTH + " characters");
          } else if (v != null && v.length() > HostSpec.MAX_TAG_VALUE_LENGTH) {
            problems.add("selector.tags." + k, "must be at most " + HostSpec.MAX_TAG_VALUE_LENGTH + " characters");
          } else if (!HostSpec.TAG_KEY.matcher(k).matches() || v == null || v.isBlank()) {
            problems.add("selector.tags", "tag '" + HostSpec.abbreviate(k) + "' is not a valid key:value filter");
          }
        });
      }
    }
  }

  /** A hook reference: a hook's name (its newest version when the ticket is created) or name@version. */
  public static final Pattern HOOK_REFERENCE = Pattern.compile("(" + HostHook.NAME.pattern() + ")(?:@([1-9][0-9]{0,8}))?");

  private void validateHook(Problems problems, String field, String reference) {
    if (reference == null) {
      return;
    }
    if (operation != Operation.REPAIR) {
      problems.add(field, "applies to REPAIR tickets only: hooks run around a host's install");
    } else if (!HOOK_REFERENCE.matcher(reference).matches()) {
      problems.add(field, "must name a hook (such as drain-node) or one of its versions (drain-node@3)");
    }
  }

  private void validateReboot(Problems problems) {
    if (operation != Operation.REPAIR && rebootOption != null) {
      problems.add("rebootOption", "applies to REPAIR tickets only");
    }
    if (rebootTimeoutSeconds != null) {
      if (rebootOption != RebootOption.REBOOT_IF_NEEDED) {
        problems.add("rebootTimeoutSeconds", "applies only with rebootOption REBOOT_IF_NEEDED");
      } else {
        problems.range("rebootTimeoutSeconds", rebootTimeoutSeconds, MIN_REBOOT_TIMEOUT_SECONDS,
            MAX_REBOOT_TIMEOUT_SECONDS);
      }
    }
  }

  private static void validateBatch(Problems problems, BatchSpec batch) {
    if (!problems.required("batch.strategy", batch.strategy())) {
      return;
    }
    switch (batch.strategy()) {
      case NONE -> { }
      case FIXED -> {
        if (problems.required("batch.size", batch.size())) {
          problems.range("batch.size", batch.size(), 1, MAX_HOSTS);
        }
      }
      case PERCENT -> {
        if (problems.required("batch.percent", batch.percent())) {
          problems.range("batch.percent", batch.percent(), 1, 100);
        }
      }
      case AUTO -> {
        if (problems.maxLength("batch.tagKey", batch.tagKey(), HostSpec.MAX_TAG_KEY_LENGTH)
            && (batch.tagKey() == null || !HostSpec.TAG_KEY.matcher(batch.tagKey()).matches())) {
          problems.add("batch.tagKey", "AUTO needs the tag whose groups must never be all in one batch, e.g. zone");
        }
        problems.range("batch.percent", batch.percent(), 1, 99);
      }
    }
  }
}
