package jp.tcportal.notifier.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StandardWebhookSignatureTest {

  /** The specification's own test vector (standard-webhooks, libraries/java WebhookTest). */
  @Test
  void signsTheStandardWebhooksTestVector() {
    assertThat(
            StandardWebhookSignature.sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L,
                "{\"test\": 2432232314}"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void makesSecretsOf32RandomBytesWithTheWhsecPrefix() {
    String secret = StandardWebhookSignature.newSecret();

    assertThat(secret).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    assertThat(StandardWebhookSignature.newSecret()).isNotEqualTo(secret);
  }
}
