package jp.tcportal.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
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
 * keytool run as a child process (no extra dependency, no {@code --add-exports}): {@code ca.pem},
 * {@code server.pem} (leaf, then the CA) and {@code server-key.pem} (PKCS#8), the files Spring
 * Boot's PEM SSL bundle reads. The leaf names localhost, 127.0.0.1, 127.0.0.2 and ::1.
 */
public final class TestCertificates {

  private static final String PASSWORD = "changeit";
  private static final String SUBJECT_ALTERNATIVE_NAMES =
      "SAN=dns:localhost,ip:127.0.0.1,ip:127.0.0.2,ip:0:0:0:0:0:0:0:1";

  private final Path dir;
  private final Path caPem;
  private final Path serverPem;
  private final Path serverKeyPem;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caPem = dir.resolve("ca.pem");
    this.serverPem = dir.resolve("server.pem");
    this.serverKeyPem = dir.resolve("server-key.pem");
  }

  /** Makes the CA ({@code ca.p12}, {@code ca.pem}) and the server's key and certificate. */
  public static TestCertificates create(Path dir) {
    TestCertificates certificates = new TestCertificates(dir);
    certificates.authority("ca", "TC Portal Test CA");
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
        "server.p12");
    certificates.keytool(
        "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
    PrivateKey key = (PrivateKey) certificates.entry("server.p12", "server").getPrivateKey();
    write(certificates.serverKeyPem, pem("PRIVATE KEY", key.getEncoded()));
    certificates.renew();
    return certificates;
  }

  public Path dir() {
    return dir;
  }

  public Path caPem() {
    return caPem;
  }

  public Path serverPem() {
    return serverPem;
  }

  public Path serverKeyPem() {
    return serverKeyPem;
  }

  /**
   * A second CA that has nothing to do with the server ({@code name.p12}), for clients that trust
   * the wrong one; returns its certificate file {@code name.pem}.
   */
  public Path unrelatedAuthority(String name) {
    return authority(name, name);
  }

  /**
   * Signs the server's key again (a new serial number, the same key) into {@code fileName} in this
   * directory, leaf then CA, and returns it; {@link #serverPem()} is left alone.
   */
  public Path issueServerCertificate(String fileName) {
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
        SUBJECT_ALTERNATIVE_NAMES,
        "-ext",
        "EKU=serverAuth",
        "-ext",
        "KU=digitalSignature,keyAgreement");
    Path file = dir.resolve(fileName);
    try {
      Files.writeString(
          file,
          Files.readString(dir.resolve("server.crt")) + Files.readString(caPem),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * Signs the server's key again and replaces {@code server.pem} in one move, as an operator
   * renewing the certificate would.
   */
  public void renew() {
    Path next = issueServerCertificate("server.pem.next");
    try {
      Files.move(
          next, serverPem, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public X509Certificate serverCertificate() {
    return read(serverPem);
  }

  /** For chromium's {@code --ignore-certificate-errors-spki-list}: the leaf's key, hashed. */
  public String serverSpkiSha256() {
    byte[] spki = serverCertificate().getPublicKey().getEncoded();
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts only the test CA. */
  public SSLContext trustingTheCa() {
    return trusting(caPem);
  }

  /** The first certificate in a PEM file. */
  public static X509Certificate read(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts exactly the CA in {@code caPem}. */
  public static SSLContext trusting(Path caPem) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", read(caPem));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Path authority(String name, String commonName) {
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + commonName,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        name + ".p12");
    // Read from the keystore here rather than spend a keytool process on -exportcert.
    Certificate certificate = entry(name + ".p12", "ca").getCertificate();
    Path pem = dir.resolve(name + ".pem");
    try {
      write(pem, pem("CERTIFICATE", certificate.getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return pem;
  }

  private KeyStore.PrivateKeyEntry entry(String keystore, String alias) {
    try (InputStream in = Files.newInputStream(dir.resolve(keystore))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return (KeyStore.PrivateKeyEntry)
          store.getEntry(alias, new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
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

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code $JAVA_HOME/bin/keytool} in {@link #dir}, so relative file names land there. */
  private void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    try {
      Process keytool =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
