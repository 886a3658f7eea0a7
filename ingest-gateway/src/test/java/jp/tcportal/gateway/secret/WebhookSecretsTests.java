package jp.tcportal.gateway.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import jp.tcportal.gateway.GatewaySettings;
import org.junit.jupiter.api.Test;

class WebhookSecretsTests {

  private static GatewaySettings settings(String secret, String... additional) {
    return new GatewaySettings(
        secret,
        Arrays.asList(additional),
        Duration.ofSeconds(5),
        2,
        100,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        false,
        Duration.ofSeconds(300));
  }

  @Test
  void acceptsTheMainSecretAndEveryRotationSecret() {
    WebhookSecrets secrets = new WebhookSecrets(settings("main", "next", "previous"));

    assertThat(secrets.accepts("main")).isTrue();
    assertThat(secrets.accepts("next")).isTrue();
    assertThat(secrets.accepts("previous")).isTrue();
  }

  @Test
  void rejectsAMissingEmptyWrongOrMerelySimilarSecret() {
    WebhookSecrets secrets = new WebhookSecrets(settings("main-secret", "next-secret"));

    assertThat(secrets.accepts(null)).isFalse();
    assertThat(secrets.accepts("")).isFalse();
    assertThat(secrets.accepts("wrong")).isFalse();
    assertThat(secrets.accepts("main-secre")).isFalse();
    assertThat(secrets.accepts("main-secret ")).isFalse();
    assertThat(secrets.accepts("MAIN-SECRET")).isFalse();
  }

  @Test
  void comparesJapaneseSecretsByTheirUtf8Bytes() {
    WebhookSecrets secrets = new WebhookSecrets(settings("秘密の鍵"));

    assertThat(secrets.accepts("秘密の鍵")).isTrue();
    assertThat(secrets.accepts("秘密の")).isFalse();
  }

  @Test
  void ignoresBlankRotationEntriesAndSurroundingSpaces() {
    GatewaySettings settings = settings("  main  ", "", "  ", " next ", null);

    assertThat(settings.activeSecrets()).containsExactly("main", "next");
    assertThat(new WebhookSecrets(settings).accepts("")).isFalse();
  }

  @Test
  void refusesSettingsWithoutAMainSecret() {
    assertThatThrownBy(() -> settings(null)).hasMessageContaining("TC_PORTAL_WEBHOOK_SECRET");
    assertThatThrownBy(() -> settings(" ", "next"))
        .hasMessageContaining("TC_PORTAL_WEBHOOK_SECRET");
  }

  @Test
  void neverPrintsASecret() {
    String printed = settings("main-secret", "next-secret").toString();

    assertThat(printed).doesNotContain("main-secret").doesNotContain("next-secret");
    assertThat(List.of(printed)).allMatch(text -> text.contains("***"));
  }
}
