package jp.tcportal.gateway.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
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
 * A throw-away certificate authority and server certificates for localhost, made with the JDK's
 * keytool (no extra dependency), written as the PEM files Spring Boot's SSL bundles read.
 */
final class TestCertificates {

  private static final String PASSWORD = "changeit";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  static TestCertificates in(Path dir) {
    return new TestCertificates(dir);
  }

  /** Creates a CA named {@code name} ({@code name.p12}) and returns its certificate file. */
  Path authority(String name) {
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        dir.resolve(name + ".p12").toString());
    Path pem = dir.resolve(name + ".pem");
    write(pem, pem("CERTIFICATE", certificate(name + ".p12", "ca")));
    return pem;
  }

  /** A server key pair for localhost ({@code name.p12}), its private key as PKCS#8 PEM. */
  Path serverKey(String name) {
    keytool(
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
        dir.resolve(name + ".p12").toString());
    keytool(
        "-certreq",
        "-alias",
        "server",
        "-keystore",
        dir.resolve(name + ".p12").toString(),
        "-file",
        dir.resolve(name + ".csr").toString());
    Path pem = dir.resolve(name + "-key.pem");
    write(pem, pem("PRIVATE KEY", privateKey(name + ".p12").getEncoded()));
    return pem;
  }

  /** Signs the server key {@code name} with the CA {@code authority}; each call a new serial. */
  Path sign(String name, String authority, String certificateFile) {
    Path pem = dir.resolve(certificateFile);
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-rfc",
        "-validity",
        "2",
        "-keystore",
        dir.resolve(authority + ".p12").toString(),
        "-infile",
        dir.resolve(name + ".csr").toString(),
        "-outfile",
        pem.toString(),
        "-ext",
        "san=dns:localhost,ip:127.0.0.1",
        "-ext",
        "eku=serverAuth");
    return pem;
  }

  static X509Certificate read(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts exactly the CA in {@code caPem}. */
  static SSLContext trusting(Path caPem) {
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

  private byte[] certificate(String keystore, String alias) {
    try {
      return load(keystore).entry(alias).getCertificate().getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private PrivateKey privateKey(String keystore) {
    return load(keystore).entry("server").getPrivateKey();
  }

  private record Loaded(KeyStore store) {
    KeyStore.PrivateKeyEntry entry(String alias) {
      try {
        return (KeyStore.PrivateKeyEntry)
            store.getEntry(alias, new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Loaded load(String keystore) {
    try (InputStream in = Files.newInputStream(dir.resolve(keystore))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return new Loaded(store);
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

  private static void keytool(String... arguments) {
    List<String> command = new ArrayList<>(List.of(arguments));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    if (!keytoolInProcess(command)) {
      keytoolProcess(command);
    }
  }

  /**
   * Runs the JDK's keytool in this JVM when the build exports its package (surefire's argLine);
   * false when it cannot.
   */
  private static boolean keytoolInProcess(List<String> command) {
    Object tool;
    Method run;
    try {
      Class<?> main = Class.forName("sun.security.tools.keytool.Main");
      tool = main.getDeclaredConstructor().newInstance();
      run = main.getMethod("run", String[].class, PrintStream.class);
    } catch (ReflectiveOperationException | RuntimeException notExported) {
      return false;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      run.invoke(tool, command.toArray(String[]::new), new PrintStream(output, true));
      return true;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "keytool " + command.get(0) + " failed: " + output.toString(StandardCharsets.UTF_8), e);
    }
  }

  private static void keytoolProcess(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(arguments);
    try {
      Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool " + arguments.get(0) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
