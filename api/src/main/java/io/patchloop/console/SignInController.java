package io.patchloop.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in form; Spring Security's form login takes its POST (ConsoleSecurityConfiguration).
 * With OpenID Connect configured the page also has a "Sign in with <provider>" button, and says why
 * a sign-in there failed (a person with no mapped role is told so).
 */
@Controller
class SignInController {

  private final ObjectProvider<ConsoleOidc> oidc;

  SignInController(ObjectProvider<ConsoleOidc> oidc) {
    this.oidc = oidc;
  }

  @GetMapping(ConsoleSecurityConfiguration.SIGN_IN)
  String signIn(HttpServletRequest request, Model model) {
    ConsoleOidc signOn = oidc.getIfAvailable();
    if (signOn != null) {
      model.addAttribute("oidcProvider", signOn.providerName());
      model.addAttribute("oidcSignIn", ConsoleOidc.SIGN_IN_URL);
      HttpSession session = request.getSession(false);
      if (request.getParameter("oidcError") != null && session != null
          && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof AuthenticationException failure) {
        session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        model.addAttribute("oidcError", signOn.failureMessage(failure));
      }
    }
    return "console/sign-in";
  }
}
