package io.patchloop.apiclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.patchloop.apiclient.generated.ApiClient;
import io.patchloop.apiclient.generated.ApiException;
import io.patchloop.apiclient.generated.ApiResponse;
import io.patchloop.apiclient.generated.api.BaselinesApi;
import io.patchloop.apiclient.generated.api.ComplianceApi;
import io.patchloop.apiclient.generated.api.HostsApi;
import io.patchloop.apiclient.generated.api.TicketsApi;
import io.patchloop.apiclient.generated.model.ApprovalRule;
import io.patchloop.apiclient.generated.model.Baseline;
import io.patchloop.apiclient.generated.model.BaselineSpec;
import io.patchloop.apiclient.generated.model.BatchSpec;
import io.patchloop.apiclient.generated.model.BatchSpecStrategy;
import io.patchloop.apiclient.generated.model.ComplianceLevel;
import io.patchloop.apiclient.generated.model.ComplianceStatus;
import io.patchloop.apiclient.generated.model.FieldProblem;
import io.patchloop.apiclient.generated.model.HostReport;
import io.patchloop.apiclient.generated.model.HostSpec;
import io.patchloop.apiclient.generated.model.ImportResult;
import io.patchloop.apiclient.generated.model.Operation;
import io.patchloop.apiclient.generated.model.OsFamily;
import io.patchloop.apiclient.generated.model.PageResultTicketRow;
import io.patchloop.apiclient.generated.model.Problem;
import io.patchloop.apiclient.generated.model.TicketDetails;
import io.patchloop.apiclient.generated.model.TicketRow;
import io.patchloop.apiclient.generated.model.TicketSpec;
import io.patchloop.apiclient.generated.model.TicketSpecSelector;
import io.patchloop.apiclient.generated.model.TicketStatus;
import io.patchloop.standalone.StandaloneApplication;
import io.patchloop.testing.lab.LabFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's flow, driven by the Java client the build generated from the running platform's
 * OpenAPI description (nothing hand-written between the test and the wire): register lab hosts,
 * create a baseline, start a SCAN ticket with an Idempotency-Key and retry it, poll it to its end,
 * read each host's report, and meet a 404 and a 400 as typed problems. A description that
 * documents a 201 as 200, or names a field or an enum value the server does not use, fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedClientFlowTest {

  static final String ADMIN_TOKEN = "generated-client-admin-0123456789";

  /** missing-some (NON_COMPLIANT under a security baseline) and patched (COMPLIANT). */
  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(2).profile("demo").build();

  StandaloneApplication.Running platform;
  ApiClient client;
  HostsApi hosts;
  BaselinesApi baselines;
  TicketsApi tickets;
  ComplianceApi compliance;
  final Map<String, Long> hostIds = new HashMap<>();
  long baselineId;
  String ticketId;

  @BeforeAll
  void start() throws IOException {
    platform = EmbeddedPlatform.start(Path.of("target"), "--patchloop.security.tokens[0].name=client-admin", "--patchloop.security.tokens[0].token=" + ADMIN_TOKEN,
        "--patchloop.security.tokens[0].role=ADMIN");
    // the README's few lines: a base URI and the bearer token on every request
    client = new ApiClient();
    client.updateBaseUri("http://127.0.0.1:" + platform.apiPort());
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + ADMIN_TOKEN));
    hosts = new HostsApi(client);
    baselines = new BaselinesApi(client);
    tickets = new TicketsApi(client);
    compliance = new ComplianceApi(client);
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void registersTheLabHostsAndABaseline() throws ApiException {
    List<HostSpec> rows = new ArrayList<>();
    for (LabFleet.Host h : fleet.hosts()) {
      rows.add(new HostSpec().name(h.name()).address(h.address()).port(h.port())
          .keyPath(fleet.keyPath().toString()).osFamily(OsFamily.fromValue(h.osFamily()))
          .tags(Map.of("zone", "az" + (h.index() % 2 + 1), "state", h.intendedState())));
    }
    ApiResponse<ImportResult> imported = hosts.importHostsWithHttpInfo(rows);
    assertThat(imported.getStatusCode()).isEqualTo(201);
    assertThat(imported.getData().getImported()).isEqualTo(2);
    imported.getData().getHosts().forEach(h -> hostIds.put(h.getName(), h.getId()));

    ApiResponse<Baseline> created = baselines.createBaselineWithHttpInfo(new BaselineSpec().name("client-security")
        .os(OsFamily.HCE).addRulesItem(new ApprovalRule().categories(List.of("SECURITY"))
            .severities(List.of("CRITICAL", "IMPORTANT")).approveAfterDays(0).complianceLevel(ComplianceLevel.HIGH)));
    assertThat(created.getStatusCode()).isEqualTo(201);
    baselineId = created.getData().getId();
    assertThat(header(created, "Location")).hasValue("/api/v1/baselines/" + baselineId);
    assertThat(baselines.getBaseline(baselineId).getRules()).singleElement()
        .satisfies(r -> assertThat(r.getComplianceLevel()).isEqualTo(ComplianceLevel.HIGH));
  }

  @Test
  @Order(2)
  void startsAScanWithAnIdempotencyKeyAndARetryGetsTheSameTicket() throws ApiException {
    String key = UUID.randomUUID().toString();
    TicketSpec spec = new TicketSpec().operation(Operation.SCAN).baselineId(baselineId)
        .selector(new TicketSpecSelector().all(true)).batch(new BatchSpec().strategy(BatchSpecStrategy.FIXED).size(2)).externalRef("CHG-CLIENT-1");

    ApiResponse<TicketRow> first = tickets.createTicketWithHttpInfo(spec, key);
    assertThat(first.getStatusCode()).isEqualTo(201);
    ticketId = first.getData().getId();
    assertThat(ticketId).as("the client returns the created ticket, not null").startsWith("scan-");
    assertThat(first.getData().getHostCount()).isEqualTo(2);
    assertThat(header(first, "Location")).hasValue("/api/v1/tickets/" + ticketId);

    ApiResponse<TicketRow> retry = tickets.createTicketWithHttpInfo(spec, key);
    assertThat(retry.getStatusCode()).isEqualTo(200);
    assertThat(header(retry, "Idempotent-Replayed")).hasValue("true");
    assertThat(retry.getData().getId()).isEqualTo(ticketId);

    // the same key with another body is a conflict, as a typed problem
    ApiException conflict = catchThrowableOfType(ApiException.class,
        () -> tickets.createTicket(spec.externalRef("CHG-CLIENT-2"), key));
    assertThat(conflict.getCode()).isEqualTo(409);
    assertThat(problem(conflict).getErrors()).extracting(FieldProblem::getField).containsExactly("Idempotency-Key");
  }

  @Test
  @Order(3)
  void pollsTheTicketToItsEndAndReadsEachHostsReport() throws Exception {
    TicketDetails details = tickets.getTicket(ticketId);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (!Set.of(TicketStatus.COMPLETED, TicketStatus.ABNORMAL, TicketStatus.FAILED, TicketStatus.CANCELLED)
        .contains(details.getTicket().getStatus())) {
      assertThat(Instant.now()).as("ticket still " + details.getTicket().getStatus()).isBefore(deadline);
      Thread.sleep(500);
      details = tickets.getTicket(ticketId);
    }
    assertThat(details.getTicket().getStatus()).isEqualTo(TicketStatus.COMPLETED);
    assertThat(details.getTicket().getSucceeded()).isEqualTo(2);
    assertThat(details.getTicket().getFinishedAt()).isNotNull();
    assertThat(details.getHosts()).extracting(h -> h.getState()).containsOnly("SUCCEEDED");

    Map<String, ComplianceStatus> expected = Map.of("missing-some", ComplianceStatus.NON_COMPLIANT,
        "patched", ComplianceStatus.COMPLIANT);
    for (LabFleet.Host h : fleet.hosts()) {
      HostReport report = compliance.getHostCompliance(hostIds.get(h.name()), null);
      assertThat(report.getStatus()).as(h.intendedState()).isEqualTo(expected.get(h.intendedState()));
      assertThat(report.getTicketId()).isEqualTo(ticketId);
      assertThat(report.getBaselineId()).isEqualTo(baselineId);
      assertThat(report.getScannedAt()).isNotNull();
      if (report.getStatus() == ComplianceStatus.NON_COMPLIANT) {
        assertThat(report.getPatches()).anySatisfy(p -> assertThat(p.getState().getValue()).isEqualTo("MISSING"));
      }
    }

    PageResultTicketRow completed = tickets.listTickets(TicketStatus.COMPLETED, Operation.SCAN, null, null,
        "CHG-CLIENT-1", null, null);
    assertThat(completed.getItems()).extracting(TicketRow::getId).containsExactly(ticketId);
  }

  @Test
  @Order(4)
  void aMissingHostIsA404AndBadInputA400WithEachField() {
    ApiException missing = catchThrowableOfType(ApiException.class, () -> hosts.getHost(987654L));
    assertThat(missing.getCode()).isEqualTo(404);
    assertThat(missing.getResponseHeaders().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(problem(missing).getTitle()).isEqualTo("Not found");

    ApiException bad = catchThrowableOfType(ApiException.class, () -> hosts.createHost(new HostSpec().name("-rf")
        .address("$(reboot)").port(0).keyPath("relative/key").osFamily(OsFamily.HCE)));
    assertThat(bad.getCode()).isEqualTo(400);
    Problem problem = problem(bad);
    assertThat(problem.getStatus()).isEqualTo(400);
    assertThat(problem.getErrors()).extracting(FieldProblem::getField)
        .containsExactlyInAnyOrder("name", "address", "port", "keyPath");
    assertThat(problem.getErrors()).allSatisfy(e -> assertThat(e.getReason()).isNotBlank());
  }

  static java.util.Optional<String> header(ApiResponse<?> response, String name) {
    return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream()).findFirst();
  }

  /** The problem body of a failed call, read into the description's Problem schema. */
  Problem problem(ApiException e) {
    try {
      return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    } catch (IOException io) {
      throw new AssertionError("not a problem body: " + e.getResponseBody(), io);
    }
  }
}
