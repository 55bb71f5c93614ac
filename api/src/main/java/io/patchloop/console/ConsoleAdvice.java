package io.patchloop.console;

import io.patchloop.api.security.Role;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.beans.TypeMismatchException;
import org.springframework.validation.BindException;

/**
 * What every console page knows (who is signed in, whether they may run tickets), and the console's
 * answer to a failure: a page that says what was wrong, never a stack trace or the API's JSON.
 * Ordered first so the API's JSON handler does not answer for console pages.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

  private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

  @ModelAttribute
  void whoIsSignedIn(Authentication auth, Model model) {
    if (auth == null) {
      return;
    }
    model.addAttribute("signedInAs", auth.getName());
    model.addAttribute("role", highestRole(auth));
    model.addAttribute("canOperate", has(auth, Role.OPERATOR));
    model.addAttribute("canAdminister", has(auth, Role.ADMIN));
  }

  static boolean has(Authentication auth, Role role) {
    return auth != null && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + role.name()));
  }

  private static Role highestRole(Authentication auth) {
    Role highest = null;
    for (Role r : Role.values()) {
      if (has(auth, r)) {
        highest = r;
      }
    }
    return highest;
  }

  @ExceptionHandler(InvalidInputException.class)
  String invalid(InvalidInputException e, Model model, HttpServletResponse response) {
    return error(response, model, HttpServletResponse.SC_BAD_REQUEST, e.getMessage(), e.problems());
  }

  @ExceptionHandler(NotFoundException.class)
  String notFound(NotFoundException e, Model model, HttpServletResponse response) {
    return error(response, model, HttpServletResponse.SC_NOT_FOUND, e.getMessage(), List.of());
  }

  @ExceptionHandler(ConflictException.class)
  String conflict(ConflictException e, Model model, HttpServletResponse response) {
    return error(response, model, HttpServletResponse.SC_CONFLICT, e.getMessage(), List.of());
  }

  @ExceptionHandler({TypeMismatchException.class, MissingServletRequestParameterException.class, BindException.class})
  String badParameter(Exception e, Model model, HttpServletResponse response) {
    String what = e instanceof TypeMismatchException t && t.getPropertyName() != null
        ? "'" + t.getPropertyName() + "' has a value it cannot have"
        : e instanceof MissingServletRequestParameterException m ? "'" + m.getParameterName() + "' is missing"
        : e instanceof BindException b && b.getFieldError() != null
            ? "'" + b.getFieldError().getField() + "' has a value it cannot have"
            : "a parameter has a value it cannot have";
    return error(response, model, HttpServletResponse.SC_BAD_REQUEST, "Invalid request: " + what, List.of());
  }

  @ExceptionHandler(Exception.class)
  String unexpected(Exception e, Model model, HttpServletResponse response) {
    log.error("console page failed", e);
    return error(response, model, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
        "Something went wrong on the server; the server log has the details.", List.of());
  }

  private static String error(HttpServletResponse response, Model model, int status, String message,
      List<FieldProblem> problems) {
    response.setStatus(status);
    model.addAttribute("status", status);
    model.addAttribute("message", message);
    model.addAttribute("problems", problems);
    return "console/error";
  }
}
