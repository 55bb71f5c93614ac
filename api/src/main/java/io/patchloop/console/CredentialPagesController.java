package io.patchloop.console;

import io.patchloop.api.audit.Audited;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.credentials.Credential;
import io.patchloop.credentials.CredentialSpec;
import io.patchloop.credentials.CredentialStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Stored SSH keys: everyone sees the list (names, key types, how many hosts use each), an admin
 * adds and deletes. As in the API, a key and its passphrase are written once and never shown: not in
 * the list, and not when a refused form comes back (it asks for them again).
 */
@Controller
class CredentialPagesController {

  private final CredentialStore credentials;

  CredentialPagesController(CredentialStore credentials) {
    this.credentials = credentials;
  }

  @GetMapping("/console/credentials")
  String list(Model model) {
    model.addAttribute("credentials", credentials.list());
    return "console/credentials";
  }

  @GetMapping("/console/credentials/new")
  String newCredential(Model model) {
    return form(model, "", "", null, FormProblems.NONE);
  }

  /** The key comes pasted or as a file; the passphrase only for an encrypted key. */
  @PostMapping("/console/credentials")
  String create(@RequestParam(required = false) String name, @RequestParam(required = false) String description,
      @RequestParam(required = false) String privateKey, @RequestParam(required = false) MultipartFile keyFile,
      @RequestParam(required = false) String passphrase, Model model, RedirectAttributes redirect) throws IOException {
    String key = keyFile != null && !keyFile.isEmpty() ? new String(keyFile.getBytes(), StandardCharsets.UTF_8) : privateKey;
    CredentialSpec spec = new CredentialSpec(blankToNull(name), blankToNull(description), blankToNull(key),
        passphrase == null || passphrase.isEmpty() ? null : passphrase);
    try {
      Credential created = credentials.create(spec);
      redirect.addFlashAttribute("notice", "Credential " + created.name() + " stored (" + created.keyType()
          + "). Its key is encrypted and is never shown again.");
      return "redirect:/console/credentials";
    } catch (InvalidInputException e) {
      return form(model, name, description, e.getMessage(), new FormProblems(e.problems()));
    } catch (ConflictException e) {
      return form(model, name, description, e.getMessage(),
          new FormProblems(List.of(new FieldProblem(e.field(), e.getMessage()))));
    }
  }

  /** Without {@code confirmed} a page that asks; a credential that hosts use stays (the store's 409, in words). */
  @PostMapping("/console/credentials/{id}/delete")
  String delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean confirmed, Model model,
      RedirectAttributes redirect) {
    Credential credential = credentials.get(id);
    if (!confirmed) {
      Audited.confirmationStep();
      model.addAttribute("credential", credential);
      return "console/credential-delete";
    }
    try {
      credentials.delete(id);
      redirect.addFlashAttribute("notice", "Credential " + credential.name() + " deleted.");
    } catch (ConflictException e) {
      Audited.refused();
      redirect.addFlashAttribute("problem", e.getMessage());
    }
    return "redirect:/console/credentials";
  }

  /** The form again: never with the key or the passphrase that were sent. */
  private static String form(Model model, String name, String description, String message, FormProblems problems) {
    model.addAttribute("name", name);
    model.addAttribute("description", description);
    model.addAttribute("message", message);
    model.addAttribute("problems", problems);
    return "console/credential-new";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
