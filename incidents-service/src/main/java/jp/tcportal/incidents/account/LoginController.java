package jp.tcportal.incidents.account;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page: the local account form, and a button per OpenID Connect issuer. */
@Controller
class LoginController {

  private final ObjectProvider<ClientRegistrationRepository> registrations;

  LoginController(ObjectProvider<ClientRegistrationRepository> registrations) {
    this.registrations = registrations;
  }

  @GetMapping("/login")
  String login(Model model) {
    List<OidcProvider> providers = new ArrayList<>();
    if (registrations.getIfAvailable() instanceof Iterable<?> all) {
      for (Object registration : all) {
        ClientRegistration client = (ClientRegistration) registration;
        providers.add(
            new OidcProvider(
                "/oauth2/authorization/" + client.getRegistrationId(), client.getClientName()));
      }
    }
    model.addAttribute("oidcProviders", providers);
    return "login";
  }

  record OidcProvider(String url, String name) {}
}
