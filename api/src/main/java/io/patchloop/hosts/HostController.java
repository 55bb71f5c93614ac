package io.patchloop.hosts;

import io.patchloop.api.csv.CsvResponse;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.common.Scenario;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/hosts")
@Tag(name = "Hosts", description = "The hosts Patchloop scans and repairs, with their tags")
class HostController {

  private final HostStore hosts;

  HostController(HostStore hosts) {
    this.hosts = hosts;
  }

  /**
   * Filters combine with AND; {@code tag} repeats, each {@code key:value}; {@code baselineId}: of the
   * newest report; {@code missingAdvisory}: an advisory the newest report lists as MISSING or FAILED.
   * {@code format=csv} (or {@code Accept: text/csv}): every matching host as a CSV file, paging ignored.
   */
  @GetMapping
  @Operation(operationId = "listHosts", summary = "Hosts by tag, OS, scenario, compliance or missing advisory; "
      + "a page, or every match as CSV")
  PageResult<Host> list(
      @RequestParam(required = false) List<String> tag,
      @RequestParam(required = false) OsFamily osFamily,
      @RequestParam(required = false) Scenario scenario,
      @RequestParam(required = false) Host.ComplianceStatus complianceStatus,
      @RequestParam(required = false) Long baselineId,
      @RequestParam(required = false) String missingAdvisory,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String format,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    HostQuery query = new HostQuery(HostQuery.parseTags(tag), osFamily, scenario, complianceStatus, baselineId,
        HostQuery.advisoryFilter("missingAdvisory", missingAdvisory));
    if (CsvResponse.requested(format, request)) {
      CsvResponse.stream(response, "hosts", HostListCsv.HEADER,
          csv -> hosts.forEachMatching(query, HostListCsv.writingTo(csv)));
      return null; // written
    }
    return hosts.list(query, PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getHost", summary = "One host")
  Host get(@PathVariable long id) {
    return hosts.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createHost", summary = "Register a host")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new host",
      headers = @Header(name = "Location", description = "the new host's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A host of that name exists")
  ResponseEntity<Host> create(@RequestBody HostSpec spec) {
    Host host = hosts.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/hosts/" + host.id())).body(host);
  }

  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "updateHost", summary = "Replace a host's settings")
  @ApiResponse(responseCode = "200", description = "Replaced; the body is the result")
  @ApiResponse(responseCode = "409", description = "Another host has that name")
  Host update(@PathVariable long id, @RequestBody HostSpec spec) {
    return hosts.update(id, spec);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteHost", summary = "Remove a host; its reports go with it")
  @ApiResponse(responseCode = "204", description = "Removed")
  void delete(@PathVariable long id) {
    hosts.delete(id);
  }

  /** All-or-nothing import of a JSON array of hosts. */
  @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(operationId = "importHosts", summary = "Register many hosts at once, all or nothing (JSON array or CSV)")
  @ApiResponse(responseCode = "201", description = "All imported")
  @ApiResponse(responseCode = "409", description = "A host of one of the names exists; none was imported")
  ImportResult importJson(@RequestBody List<HostSpec> rows) {
    return new ImportResult(HostImport.json(hosts, rows));
  }

  /** All-or-nothing import of CSV with a header line; errors name the CSV line. */
  @PostMapping(path = "/import", consumes = "text/csv")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(operationId = "importHosts", summary = "Register many hosts at once, all or nothing (JSON array or CSV)")
  @ApiResponse(responseCode = "201", description = "All imported")
  @ApiResponse(responseCode = "409", description = "A host of one of the names exists; none was imported")
  ImportResult importCsv(@RequestBody String csv) {
    return new ImportResult(HostImport.csv(hosts, csv));
  }

  record ImportResult(int imported, List<Host> hosts) {
    ImportResult(List<Host> hosts) {
      this(hosts.size(), hosts);
    }
  }
}
