package jp.tcportal.schema.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChannelCryptoTest {

  private static final String URL =
      "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXabcd";

  private final ChannelCrypto crypto = ChannelCrypto.fromBase64Key(ChannelCrypto.newBase64Key());

  @Test
  void opensWhatItSealedForTheSameContext() {
    byte[] sealed = crypto.seal(URL, "c1/url");

    assertThat(crypto.open(sealed, "c1/url")).isEqualTo(URL);
    assertThat(sealed[0]).isEqualTo(ChannelCrypto.VERSION_1);
    assertThat(sealed).hasSize(1 + 12 + URL.getBytes(StandardCharsets.UTF_8).length + 16);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hooks.slack");
  }

  @Test
  void usesAFreshNonceForEveryValue() {
    assertThat(crypto.seal(URL, "c1/url")).isNotEqualTo(crypto.seal(URL, "c1/url"));
  }

  @Test
  void refusesAValueWithOneFlippedBit() {
    byte[] sealed = crypto.seal(URL, "c1/url");
    sealed[20] ^= 1;

    assertThatThrownBy(() -> crypto.open(sealed, "c1/url"))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining("does not authenticate")
        .hasMessageNotContaining("hooks");
  }

  @Test
  void refusesAValueCopiedFromAnotherRowOrField() {
    byte[] sealed = crypto.seal(URL, "c1/url");

    assertThatThrownBy(() -> crypto.open(sealed, "c2/url"))
        .isInstanceOf(SecretUnreadableException.class);
    assertThatThrownBy(() -> crypto.open(sealed, "c1/secret"))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void refusesAValueSealedWithAnotherKey() {
    byte[] sealed = crypto.seal(URL, "c1/url");
    ChannelCrypto other = ChannelCrypto.fromBase64Key(ChannelCrypto.newBase64Key());

    assertThatThrownBy(() -> other.open(sealed, "c1/url"))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining(ChannelCrypto.KEY_ENVIRONMENT_VARIABLE);
  }

  @Test
  void refusesUnknownVersionsAndTruncatedValues() {
    byte[] sealed = crypto.seal(URL, "c1/url");
    sealed[0] = 2;

    assertThatThrownBy(() -> crypto.open(sealed, "c1/url"))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> crypto.open(new byte[10], "c1/url"))
        .isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void refusesKeysThatAreMissingNotBase64OrNot32Bytes() {
    assertThatThrownBy(() -> ChannelCrypto.fromBase64Key(null))
        .hasMessageContaining("TC_PORTAL_ENCRYPTION_KEY is not set");
    assertThatThrownBy(() -> ChannelCrypto.fromBase64Key("***"))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(
            () -> ChannelCrypto.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void masksAUrlToHostAndLastFourCharacters() {
    assertThat(ChannelCrypto.mask(URL)).isEqualTo("https://hooks.slack.com/…/****abcd");
    assertThat(ChannelCrypto.mask("not a url at all")).isEqualTo("**** all");
    assertThat(ChannelCrypto.mask("short")).isEqualTo("****");
  }
}
