package jp.tcportal.incidents.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate signed by it, made with the JDK's
 * keytool (no extra dependency): {@code ca.pem}, {@code server.pem} (leaf and CA) and {@code
 * server-key.pem} (PKCS#8), the files Spring Boot's PEM SSL bundle reads.
 */
final class TestCertificates {

  private static final String PASSWORD = "changeit";

  final Path dir;
  final Path caPem;
  final Path serverPem;
  final Path serverKeyPem;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caPem = dir.resolve("ca.pem");
    this.serverPem = dir.resolve("server.pem");
    this.serverKeyPem = dir.resolve("server-key.pem");
  }

  static TestCertificates create(Path dir) throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    certificates.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=TC Portal Test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        "ca.p12",
        "-storetype",
        "PKCS12");
    certificates.keytool(
        "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
    certificates.keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-validity",
        "2",
        "-keystore",
        "server.p12",
        "-storetype",
        "PKCS12");
    certificates.keytool(
        "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
    certificates.sign();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) keys.getKey("server", PASSWORD.toCharArray());
    Files.writeString(certificates.serverKeyPem, pem("PRIVATE KEY", key.getEncoded()));
    return certificates;
  }

  /**
   * Signs the server's key again (a new serial number, the same key) and replaces {@code
   * server.pem} in one move, as an operator renewing the certificate would.
   */
  void renew() throws IOException {
    sign();
  }

  private void sign() throws IOException {
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        "ca.p12",
        "-infile",
        "server.csr",
        "-outfile",
        "server.crt",
        "-rfc",
        "-validity",
        "2",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1,ip:127.0.0.2,ip:0:0:0:0:0:0:0:1",
        "-ext",
        "EKU=serverAuth",
        "-ext",
        "KU=digitalSignature,keyAgreement");
    Path next = dir.resolve("server.pem.next");
    Files.writeString(
        next,
        Files.readString(dir.resolve("server.crt")) + Files.readString(caPem),
        StandardCharsets.US_ASCII);
    Files.move(
        next, serverPem, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  X509Certificate serverCertificate() throws IOException {
    return certificates(serverPem).get(0);
  }

  /** For chromium's {@code --ignore-certificate-errors-spki-list}: the leaf's key, hashed. */
  String serverSpkiSha256() throws Exception {
    byte[] spki = serverCertificate().getPublicKey().getEncoded();
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
  }

  /** A client context that trusts only the test CA. */
  SSLContext trustingTheCa() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", certificates(caPem).get(0));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static List<X509Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> all = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        all.add((X509Certificate) certificate);
      }
      return all;
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-noprompt"));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(
            "keytool "
                + String.join(" ", args)
                + " failed: "
                + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
