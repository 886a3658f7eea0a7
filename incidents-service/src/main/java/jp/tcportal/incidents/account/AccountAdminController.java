package jp.tcportal.incidents.account;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** {@code /admin/users}: admins create local accounts (viewers or admins), reset or delete them. */
@Controller
class AccountAdminController {

  private final LocalAccounts accounts;

  AccountAdminController(LocalAccounts accounts) {
    this.accounts = accounts;
  }

  @GetMapping("/admin/users")
  String users(Model model) {
    model.addAttribute("accounts", accounts.all());
    model.addAttribute("minPasswordLength", LocalAccounts.MIN_PASSWORD_LENGTH);
    return "users";
  }

  @PostMapping("/admin/users")
  String save(
      @RequestParam String username,
      @RequestParam String password,
      @RequestParam(defaultValue = "VIEWER") Role role,
      RedirectAttributes redirect) {
    try {
      accounts.save(username.trim(), password, role);
      redirect.addFlashAttribute("notice", "account.saved");
    } catch (LocalAccounts.InvalidAccountException e) {
      redirect.addFlashAttribute("problem", e.getMessage());
    }
    return "redirect:/admin/users";
  }

  @PostMapping("/admin/users/{username}/delete")
  String delete(@PathVariable String username, Principal principal, RedirectAttributes redirect) {
    if (username.equals(principal.getName())) {
      redirect.addFlashAttribute("problem", "account.cannotDeleteSelf");
    } else {
      accounts.delete(username);
      redirect.addFlashAttribute("notice", "account.deleted");
    }
    return "redirect:/admin/users";
  }
}
