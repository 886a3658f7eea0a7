package jp.tcportal.schema.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import jp.tcportal.schema.report.Kind;
import org.junit.jupiter.api.Test;

class MonitorIdentityTest {

  // Vectors computed independently (Python: uuid + hashlib over the length-prefixed name), so a
  // change
  // to the namespace, the encoding or the bit layout breaks this test instead of every monitor's
  // id.
  @Test
  void matchesPinnedTestVectors() {
    assertThat(MonitorIdentity.monitorId("nightly_import", Kind.BAT, null))
        .hasToString("f5a35330-a13d-5f4b-8104-21afcc8babfe");
    assertThat(MonitorIdentity.monitorId("nightly_import", Kind.BAT, "PC-01"))
        .hasToString("c22c87cb-f239-578f-95a3-89884033b4b1");
    assertThat(MonitorIdentity.monitorId("daily_sync", Kind.PYTHON, "WS-東京-01"))
        .hasToString("afc5a155-b607-5e8c-88ce-623a6300dbb8");
  }

  @Test
  void isVersion5WithTheRfcVariant() {
    UUID id = MonitorIdentity.monitorId("nightly_import", Kind.BAT, "PC-01");
    assertThat(id.version()).isEqualTo(5);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void treatsAbsentAndEmptyMachineNameAsTheSameMonitor() {
    assertThat(MonitorIdentity.monitorId("job", Kind.BAT, null))
        .isEqualTo(MonitorIdentity.monitorId("job", Kind.BAT, ""));
  }

  @Test
  void keepsSeparatorCharactersFromMakingTwoMonitorsCollide() {
    UUID left = MonitorIdentity.monitorId("a|b", Kind.BAT, "c");
    UUID right = MonitorIdentity.monitorId("a", Kind.BAT, "b|c");
    assertThat(left).hasToString("4ca9fda2-0b13-5a95-a599-9bef42510b5d");
    assertThat(right).hasToString("9c19ef8c-62cf-5000-8a1f-24f6cbed86e5");
    assertThat(left).isNotEqualTo(right);
  }

  @Test
  void distinguishesKindAndMachine() {
    assertThat(MonitorIdentity.monitorId("job", Kind.BAT, "PC-01"))
        .isNotEqualTo(MonitorIdentity.monitorId("job", Kind.PYTHON, "PC-01"))
        .isNotEqualTo(MonitorIdentity.monitorId("job", Kind.BAT, "PC-02"));
  }

  @Test
  void agreesWithTheJdkForTheRfcExampleNamespaceAlgorithm() {
    // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(
            MonitorIdentity.nameBasedSha1(dns, "www.example.com".getBytes(StandardCharsets.UTF_8)))
        .hasToString("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  }
}
