package jp.tcportal.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTlsTest {

  @TempDir Path dataDir;

  @Test
  void makesACaAndAServerCertificateForLocalhostTheHostAndTheBindAddressWithPrivateKeys()
      throws Exception {
    Path tls = dataDir.resolve("tls");
    List<String> names = LocalTls.namesFor("192.0.2.10");

    LocalTls.Bundle bundle = LocalTls.ensure(tls, names);

    X509Certificate ca = LocalTls.readCertificate(bundle.ca());
    X509Certificate server = LocalTls.readCertificate(bundle.server());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    server.verify(ca.getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(server.getSubjectAlternativeNames())
        .extracting(name -> String.valueOf(name.get(1)))
        .contains("localhost", "127.0.0.1", "192.0.2.10")
        .anySatisfy(name -> assertThat(name).contains(":")); // ::1
    assertThat(names).contains(java.net.InetAddress.getLocalHost().getHostName().toLowerCase());
    for (String key : List.of(LocalTls.CA_KEY_FILE, LocalTls.SERVER_KEY_FILE)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve(key))))
          .as(key)
          .isEqualTo("rw-------");
    }
    assertThat(Files.readString(bundle.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void keepsTheCaAndTheCertificateAcrossStartsAndReissuesOnlyForANewName() throws Exception {
    Path tls = dataDir.resolve("tls");
    LocalTls.ensure(tls, List.of("localhost", "127.0.0.1"));
    String ca = Files.readString(tls.resolve(LocalTls.CA_FILE));
    String server = Files.readString(tls.resolve(LocalTls.SERVER_FILE));

    LocalTls.Bundle again = LocalTls.ensure(tls, List.of("localhost", "127.0.0.1"));
    assertThat(again.issued()).isFalse();
    assertThat(Files.readString(tls.resolve(LocalTls.SERVER_FILE))).isEqualTo(server);

    LocalTls.Bundle moved = LocalTls.ensure(tls, List.of("localhost", "127.0.0.1", "10.1.2.3"));
    assertThat(moved.issued()).isTrue();
    // PCs that imported the CA keep trusting the stack: the CA itself never changes.
    assertThat(Files.readString(tls.resolve(LocalTls.CA_FILE))).isEqualTo(ca);
    assertThat(
            LocalTls.readCertificate(tls.resolve(LocalTls.SERVER_FILE))
                .getSubjectAlternativeNames())
        .extracting(name -> String.valueOf(name.get(1)))
        .contains("10.1.2.3");
  }

  @Test
  void namesNoWildcardBindAddress() {
    assertThat(LocalTls.namesFor("0.0.0.0")).doesNotContain("0.0.0.0");
  }

  @Test
  void isVerifiedWithItsCaAndNotWithAnother() throws IOException, InterruptedException {
    // curl is what the spec's users and the test of the running stack post with.
    Path tls = LocalTls.ensure(dataDir.resolve("tls"), List.of("localhost", "127.0.0.1")).dir();
    Path other = LocalTls.ensure(dataDir.resolve("other"), List.of("localhost")).dir();
    Process verify =
        new ProcessBuilder(
                "openssl",
                "verify",
                "-CAfile",
                tls.resolve(LocalTls.CA_FILE).toString(),
                tls.resolve(LocalTls.SERVER_FILE).toString())
            .redirectErrorStream(true)
            .start();
    assertThat(verify.waitFor()).as(new String(verify.getInputStream().readAllBytes())).isZero();
    Process wrong =
        new ProcessBuilder(
                "openssl",
                "verify",
                "-CAfile",
                other.resolve(LocalTls.CA_FILE).toString(),
                tls.resolve(LocalTls.SERVER_FILE).toString())
            .redirectErrorStream(true)
            .start();
    assertThat(wrong.waitFor()).isNotZero();
  }

  @Test
  void letsTheCaCertifyOnlyTheNamesItWasMadeForSoALeakedKeyCannotImpersonateOtherSites()
      throws Exception {
    Path tls =
        LocalTls.ensure(
                dataDir.resolve("tls"), List.of("localhost", "pc-01.corp.example", "127.0.0.1"))
            .dir();
    Path work = dataDir.resolve("forged");
    Files.createDirectories(work);
    // What someone holding ca-key.pem would do: sign a certificate for a site of their choosing.
    for (String[] command :
        List.of(
            new String[] {
              "openssl",
              "req",
              "-new",
              "-newkey",
              "rsa:2048",
              "-nodes",
              "-subj",
              "/CN=forged",
              "-keyout",
              work + "/key.pem",
              "-out",
              work + "/req.csr"
            },
            new String[] {
              "sh", "-c", "printf 'subjectAltName=DNS:login.bank.example\\n' > " + work + "/ext.cnf"
            },
            new String[] {
              "openssl",
              "x509",
              "-req",
              "-in",
              work + "/req.csr",
              "-CA",
              tls + "/ca.pem",
              "-CAkey",
              tls + "/ca-key.pem",
              "-set_serial",
              "7",
              "-days",
              "30",
              "-extfile",
              work + "/ext.cnf",
              "-out",
              work + "/forged.pem"
            })) {
      Process step = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(step.getInputStream().readAllBytes());
      assertThat(step.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    Process verify =
        new ProcessBuilder("openssl", "verify", "-CAfile", tls + "/ca.pem", work + "/forged.pem")
            .redirectErrorStream(true)
            .start();
    String output = new String(verify.getInputStream().readAllBytes());
    assertThat(verify.waitFor()).as(output).isNotZero();
    assertThat(output).contains("permitted subtree violation");

    // The stack's own certificate, for subdomains and any address, still verifies.
    LocalTls.Bundle again =
        LocalTls.ensure(
            tls, List.of("localhost", "api.pc-01.corp.example", "10.9.8.7", "other.example"));
    assertThat(again.notCovered()).containsExactly("other.example");
    Process own =
        new ProcessBuilder("openssl", "verify", "-CAfile", tls + "/ca.pem", tls + "/server.pem")
            .redirectErrorStream(true)
            .start();
    assertThat(own.waitFor()).as(new String(own.getInputStream().readAllBytes())).isZero();
  }
}
