package io.patchloop.console;

import io.patchloop.api.audit.Audited;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineSpec;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.common.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Patch baselines: the list (filtered by OS, grouped by OS, the default of each OS marked), a
 * read-only details page for every role, and for admins the editor (create, edit, add and remove
 * rule rows), "make default" and delete with a confirm step. {@link BaselineStore} does the work
 * and the checking, as for the API's BaselineController; ConsoleSecurityConfiguration keeps the
 * editor's pages and every POST here an admin's.
 */
@Controller
class BaselinePagesController {

  static final int PAGE_SIZE = 50;

  private final BaselineStore baselines;

  BaselinePagesController(BaselineStore baselines) {
    this.baselines = baselines;
  }

  @GetMapping("/console/baselines")
  String list(@RequestParam(required = false) OsFamily os, @RequestParam(required = false) Integer page, Model model) {
    PageRequest paging = PageRequest.of(page, PAGE_SIZE);
    // a few dozen at most: the store lists them all, sorted by OS and name, and the page is cut here
    List<Baseline> all = baselines.list(os);
    int from = (int) Math.min(paging.offset(), all.size());
    int to = Math.min(from + paging.size(), all.size());
    PageResult<Baseline> result = new PageResult<>(all.subList(from, to), paging.page(), paging.size(), all.size());
    model.addAttribute("baselines", result);
    model.addAttribute("pages", Paging.of(result));
    model.addAttribute("os", os);
    model.addAttribute("osFamilies", OsFamily.values());
    return "console/baselines";
  }

  @GetMapping("/console/baselines/{id}")
  String details(@PathVariable long id, Model model) {
    model.addAttribute("baseline", baselines.get(id));
    return "console/baseline";
  }

  @GetMapping("/console/baselines/new")
  String newForm(Model model) {
    return form(BaselineForm.blank(), null, model, null);
  }

  @GetMapping("/console/baselines/{id}/edit")
  String editForm(@PathVariable long id, Model model) {
    return form(BaselineForm.of(baselines.get(id)), baselines.get(id), model, null);
  }

  /** Save, or with "add rule" / "remove rule" the same form again with one row more or less, nothing saved. */
  @PostMapping("/console/baselines")
  String create(@ModelAttribute("form") BaselineForm form, @RequestParam(required = false) String addRule,
      @RequestParam(required = false) Integer removeRule, Model model, RedirectAttributes redirect) {
    if (changeRows(form, addRule, removeRule)) {
      return form(form, null, model, null);
    }
    try {
      Baseline created = baselines.create(form.toSpec());
      redirect.addFlashAttribute("notice", "Baseline '" + created.name() + "' created.");
      return "redirect:/console/baselines/" + created.id();
    } catch (InvalidInputException e) {
      return form(form, null, model, new Problems(e.getMessage(), e.problems(), form));
    } catch (ConflictException e) {
      return form(form, null, model, Problems.conflict(e, form));
    }
  }

  @PostMapping("/console/baselines/{id}")
  String update(@PathVariable long id, @ModelAttribute("form") BaselineForm form,
      @RequestParam(required = false) String addRule, @RequestParam(required = false) Integer removeRule,
      Model model, RedirectAttributes redirect) {
    Baseline current = baselines.get(id);
    if (changeRows(form, addRule, removeRule)) {
      return form(form, current, model, null);
    }
    try {
      Baseline saved = baselines.update(id, form.toSpec());
      redirect.addFlashAttribute("notice", "Baseline '" + saved.name() + "' saved.");
      return "redirect:/console/baselines/" + id;
    } catch (InvalidInputException e) {
      return form(form, current, model, new Problems(e.getMessage(), e.problems(), form));
    } catch (ConflictException e) {
      return form(form, current, model, Problems.conflict(e, form));
    }
  }

  /** The baseline as it is, made its OS's default (the old default loses the flag in the same transaction). */
  @PostMapping("/console/baselines/{id}/default")
  String makeDefault(@PathVariable long id, RedirectAttributes redirect) {
    Baseline b = baselines.get(id);
    try {
      baselines.update(id, new BaselineSpec(b.name(), b.description(), b.scenario(), b.os(), b.rules(),
          b.approvedPatches(), b.approvedPatchesComplianceLevel(), b.rejectedPatches(), b.rejectedPatchesAction(), true));
      redirect.addFlashAttribute("notice", "'" + b.name() + "' is now the default baseline for " + b.os() + ".");
    } catch (ConflictException e) {
      Audited.refused();
      redirect.addFlashAttribute("notice", e.getMessage());
    }
    return "redirect:/console/baselines/" + id;
  }

  @GetMapping("/console/baselines/{id}/delete")
  String confirmDelete(@PathVariable long id, Model model) {
    model.addAttribute("baseline", baselines.get(id));
    return "console/baseline-delete";
  }

  @PostMapping("/console/baselines/{id}/delete")
  String delete(@PathVariable long id, RedirectAttributes redirect) {
    Baseline b = baselines.get(id);
    try {
      baselines.delete(id);
      redirect.addFlashAttribute("notice", "Baseline '" + b.name() + "' deleted.");
      return "redirect:/console/baselines";
    } catch (ConflictException e) {
      Audited.refused();
      redirect.addFlashAttribute("notice", e.getMessage());
      return "redirect:/console/baselines/" + id;
    }
  }

  private static boolean changeRows(BaselineForm form, String addRule, Integer removeRule) {
    if (addRule != null) {
      form.getRules().add(new BaselineForm.Rule());
      return true;
    }
    if (removeRule != null) {
      if (removeRule >= 0 && removeRule < form.getRules().size()) {
        form.getRules().remove((int) removeRule);
      }
      return true;
    }
    return false;
  }

  private String form(BaselineForm form, Baseline current, Model model, Problems problems) {
    model.addAttribute("form", form);
    model.addAttribute("current", current);
    model.addAttribute("pageTitle", current == null ? "New baseline" : "Edit baseline " + current.name());
    model.addAttribute("problems", problems == null ? Problems.NONE : problems);
    model.addAttribute("osFamilies", OsFamily.values());
    model.addAttribute("scenarios", Scenario.values());
    model.addAttribute("categories", PatchCategory.values());
    model.addAttribute("severities", PatchSeverity.values());
    model.addAttribute("levels", ComplianceLevel.values());
    model.addAttribute("rejectedActions", RejectedPatchesAction.values());
    model.addAttribute("maxRules", BaselineSpec.MAX_RULES);
    return "console/baseline-form";
  }

  /**
   * What was wrong with a sent form: the message and every problem as the API names them (shown at
   * the top), and each problem again beside its field. An entry of a patch list is shown beside the
   * list with the entry it is about.
   */
  record Problems(String message, List<FieldProblem> all, Map<String, String> byField) {

    static final Problems NONE = new Problems(null, List.of(), Map.of());
    private static final Pattern LIST_ENTRY = Pattern.compile("(approvedPatches|rejectedPatches)\\[(\\d+)]");

    Problems(String message, List<FieldProblem> all, BaselineForm form) {
      this(message, all, byField(all, form));
    }

    static Problems conflict(ConflictException e, BaselineForm form) {
      String field = e.field() == null ? "baseline" : e.field();
      return new Problems("Not saved", List.of(new FieldProblem(field, e.getMessage())), form);
    }

    private static Map<String, String> byField(List<FieldProblem> all, BaselineForm form) {
      Map<String, String> out = new LinkedHashMap<>();
      for (FieldProblem p : all) {
        String field = p.field();
        String reason = p.reason();
        Matcher m = LIST_ENTRY.matcher(field);
        if (m.matches()) {
          field = m.group(1);
          List<String> entries = field.equals("approvedPatches") ? form.approvedList() : form.rejectedList();
          int i = Integer.parseInt(m.group(2));
          reason = "'" + (i < entries.size() ? abbreviate(entries.get(i)) : "?") + "' " + reason;
        }
        out.merge(field, reason, (a, b) -> a + "; " + b);
      }
      return out;
    }

    private static String abbreviate(String s) {
      return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    public boolean any() {
      return !all.isEmpty();
    }

    /** The problem of a field, or null. */
    public String get(String field) {
      return byField.get(field);
    }

    /** The problem of a rule's field, e.g. rule(0, "approveAfterDays"). */
    public String rule(int index, String field) {
      return byField.get("rules[" + index + "]." + field);
    }
  }
}
