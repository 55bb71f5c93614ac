package io.patchloop.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security's form login takes its POST (ConsoleSecurityConfiguration). */
@Controller
class SignInController {

  @GetMapping(ConsoleSecurityConfiguration.SIGN_IN)
  String signIn() {
    return "console/sign-in";
  }
}
