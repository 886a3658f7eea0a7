package jp.tcportal.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetRulesTest {

  private final TargetRules strict = new TargetRules(false);
  private final TargetRules insecure = new TargetRules(true);

  @Test
  void acceptsPublicHttpsTargets() {
    assertThatCode(
            () ->
                strict.checkChannel(
                    ChannelType.SLACK, "https://hooks.slack.com/services/T0/B0/abc", List.of()))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                strict.checkChannel(
                    ChannelType.TEAMS,
                    "https://prod-12.japaneast.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x",
                    List.of()))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesPlainHttpNamingTheUrlField() {
    assertThatThrownBy(() -> strict.checkUrl(ChannelType.WEBHOOK, "http://example.com/hook"))
        .isInstanceOfSatisfying(
            InvalidChannelException.class, e -> assertThat(e.field()).isEqualTo("url"))
        .hasMessageContaining("https");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://127.0.0.1/hook",
        "https://127.1.2.3:8443/hook",
        "https://10.0.0.5/hook",
        "https://172.16.3.4/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://2130706433/hook",
        "https://0x7f.1/hook"
      })
  void refusesPrivateLoopbackAndLinkLocalTargets(String url) {
    assertThatThrownBy(() -> strict.checkUrl(ChannelType.WEBHOOK, url))
        .isInstanceOfSatisfying(
            InvalidChannelException.class, e -> assertThat(e.field()).isEqualTo("url"));
  }

  @Test
  void tellsHowToAllowPrivateTargetsForLocalTests() {
    assertThatThrownBy(() -> strict.checkUrl(ChannelType.SLACK, "https://127.0.0.1/hook"))
        .hasMessageContaining("TCPORTAL_NOTIFY_ALLOW_INSECURE_TARGETS");
  }

  @Test
  void acceptsLoopbackHttpWhenInsecureTargetsAreAllowed() {
    assertThatCode(() -> insecure.checkUrl(ChannelType.SLACK, "http://127.0.0.1:9999/slack"))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://contoso.webhook.office.com/webhookb2/0000@1111/IncomingWebhook/abc/def",
        "https://outlook.office.com/webhook/0000@1111/IncomingWebhook/abc/def"
      })
  void refusesLegacyOffice365ConnectorsWithAHintToUseWorkflows(String url) {
    for (TargetRules rules : List.of(strict, insecure)) {
      assertThatThrownBy(() -> rules.checkUrl(ChannelType.TEAMS, url))
          .isInstanceOfSatisfying(
              InvalidChannelException.class, e -> assertThat(e.field()).isEqualTo("url"))
          .hasMessageContaining("ワークフロー")
          .hasMessageContaining("Teams Workflows webhook");
    }
  }

  @Test
  void refusesUrlsWithCredentialsOrWithoutHost() {
    assertThatThrownBy(() -> strict.checkUrl(ChannelType.WEBHOOK, "https://u:p@example.com/"))
        .hasMessageContaining("url:");
    assertThatThrownBy(() -> strict.checkUrl(ChannelType.WEBHOOK, "mailto:ops@example.com"))
        .hasMessageContaining("url:");
    assertThatThrownBy(() -> strict.checkUrl(ChannelType.WEBHOOK, " "))
        .hasMessageContaining("url:");
  }

  @Test
  void namesTheRecipientThatIsNotAnAddress() {
    assertThatThrownBy(
            () ->
                strict.checkChannel(
                    ChannelType.EMAIL, null, List.of("ops@example.co.jp", "not an address")))
        .isInstanceOfSatisfying(
            InvalidChannelException.class, e -> assertThat(e.field()).isEqualTo("to[1]"));
    assertThatThrownBy(() -> strict.checkChannel(ChannelType.EMAIL, null, List.of()))
        .isInstanceOfSatisfying(
            InvalidChannelException.class, e -> assertThat(e.field()).isEqualTo("to"));
    assertThatCode(() -> strict.checkChannel(ChannelType.EMAIL, null, List.of("ops@example.co.jp")))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAtSendTimeAHostThatResolvesToAPrivateAddress() throws Exception {
    List<InetAddress> inside = List.of(InetAddress.getByName("10.1.2.3"));
    List<InetAddress> outside = List.of(InetAddress.getByName("93.184.216.34"));

    assertThatThrownBy(() -> strict.checkResolved("hooks.example.com", inside))
        .isInstanceOf(InvalidChannelException.class);
    assertThatCode(() -> strict.checkResolved("hooks.example.com", outside))
        .doesNotThrowAnyException();
    assertThatCode(() -> insecure.checkResolved("hooks.example.com", inside))
        .doesNotThrowAnyException();
  }
}
