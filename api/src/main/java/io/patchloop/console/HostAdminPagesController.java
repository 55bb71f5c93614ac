package io.patchloop.console;

import io.patchloop.api.audit.Audited;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.common.Scenario;
import io.patchloop.credentials.CredentialStore;
import io.patchloop.hosts.AccessMode;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostImport;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Adding, editing, deleting and importing hosts: an admin's pages (the filter chain refuses anyone
 * else). The same store calls as the API's HostController, so the same checks and the same
 * all-or-nothing import; a refused form comes back with each field's problem.
 */
@Controller
class HostAdminPagesController {

  private final HostStore hosts;
  private final CredentialStore credentials;

  HostAdminPagesController(HostStore hosts, CredentialStore credentials) {
    this.hosts = hosts;
    this.credentials = credentials;
  }

  @GetMapping("/console/hosts/new")
  String newHost(Model model) {
    return form(new HostForm(), null, model, FormProblems.NONE, null);
  }

  @PostMapping("/console/hosts")
  String create(@ModelAttribute("form") HostForm form, Model model, RedirectAttributes redirect) {
    try {
      Host host = hosts.create(checked(form));
      redirect.addFlashAttribute("notice", "Host " + host.name() + " added.");
      return "redirect:/console/hosts/" + host.id();
    } catch (InvalidInputException e) {
      return form(form, null, model, new FormProblems(e.problems()), e.getMessage());
    } catch (ConflictException e) {
      return form(form, null, model, conflict(e), e.getMessage());
    }
  }

  @GetMapping("/console/hosts/{id}/edit")
  String edit(@PathVariable long id, Model model) {
    Host host = hosts.get(id);
    return form(HostForm.of(host), host, model, FormProblems.NONE, null);
  }

  @PostMapping("/console/hosts/{id}")
  String update(@PathVariable long id, @ModelAttribute("form") HostForm form, Model model, RedirectAttributes redirect) {
    Host before = hosts.get(id);
    try {
      Host host = hosts.update(id, checked(form));
      redirect.addFlashAttribute("notice", "Host " + host.name() + " saved.");
      return "redirect:/console/hosts/" + host.id();
    } catch (InvalidInputException e) {
      return form(form, before, model, new FormProblems(e.problems()), e.getMessage());
    } catch (ConflictException e) {
      return form(form, before, model, conflict(e), e.getMessage());
    }
  }

  /** Without {@code confirmed} a page that asks; with it the host, its tags and its report are gone. */
  @PostMapping("/console/hosts/{id}/delete")
  String delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean confirmed, Model model,
      RedirectAttributes redirect) {
    Host host = hosts.get(id);
    if (!confirmed) {
      Audited.confirmationStep();
      model.addAttribute("host", host);
      return "console/host-delete";
    }
    hosts.delete(id);
    redirect.addFlashAttribute("notice", "Host " + host.name() + " deleted.");
    return "redirect:/console/hosts";
  }

  @GetMapping("/console/hosts/import")
  String importForm(Model model) {
    return importPage(model, null, FormProblems.NONE, "");
  }

  /** The API's CSV import: a file (or pasted text), all or nothing, every bad line named. */
  @PostMapping("/console/hosts/import")
  String importCsv(@RequestParam(required = false) MultipartFile file, @RequestParam(required = false) String csv,
      Model model, RedirectAttributes redirect) throws IOException {
    String text;
    if (file != null && !file.isEmpty()) {
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(file.getBytes())).toString();
      } catch (CharacterCodingException e) {
        return importPage(model, "Import rejected: no host was imported",
            new FormProblems(List.of(new FieldProblem("file", "is not UTF-8 text; save the CSV as UTF-8"))), "");
      }
      // a spreadsheet's UTF-8 export starts with a byte order mark; it is not part of the first column's name
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
    } else if (csv != null && !csv.isBlank()) {
      text = csv;
    } else {
      return importPage(model, "Import rejected: no host was imported",
          new FormProblems(List.of(new FieldProblem("file", "choose a CSV file or paste its lines"))), "");
    }
    try {
      List<Host> imported = HostImport.csv(hosts, text);
      redirect.addFlashAttribute("notice", "Imported " + imported.size() + " host(s): "
          + String.join(", ", imported.stream().limit(20).map(Host::name).toList())
          + (imported.size() > 20 ? ", …" : "") + ".");
      return "redirect:/console/hosts";
    } catch (InvalidInputException e) {
      return importPage(model, e.getMessage(), new FormProblems(e.problems()), file == null || file.isEmpty() ? csv : "");
    } catch (ConflictException e) {
      return importPage(model, e.getMessage(), conflict(e), file == null || file.isEmpty() ? csv : "");
    }
  }

  /**
   * The form's spec, or the form's problems: text that is not even a number or a known value, and
   * with them every other problem of the spec, so one round trip shows them all.
   */
  private static HostSpec checked(HostForm form) {
    Problems problems = new Problems();
    HostSpec spec = form.toSpec(problems);
    if (!problems.isEmpty()) {
      spec.withDefaults().validate(problems);
      problems.throwIfAny("Invalid host");
    }
    return spec;
  }

  private static FormProblems conflict(ConflictException e) {
    return new FormProblems(List.of(new FieldProblem(e.field() == null ? "name" : e.field(), e.getMessage())));
  }

  private String form(HostForm form, Host editing, Model model, FormProblems problems, String message) {
    model.addAttribute("form", form);
    model.addAttribute("editing", editing);
    model.addAttribute("problems", problems);
    model.addAttribute("message", message);
    model.addAttribute("credentials", credentials.list());
    model.addAttribute("osFamilies", OsFamily.values());
    model.addAttribute("scenarios", Scenario.values());
    model.addAttribute("accessModes", AccessMode.values());
    return "console/host-form";
  }

  private static String importPage(Model model, String message, FormProblems problems, String csv) {
    model.addAttribute("message", message);
    model.addAttribute("problems", problems);
    model.addAttribute("csv", csv);
    model.addAttribute("maxRows", HostImport.MAX_ROWS);
    return "console/host-import";
  }
}
