package jp.tcportal.localstack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The stack's own certificate authority and the server certificate of its HTTPS ports, kept in
 * {@code <data>/tls/}: made at first start, reused afterwards (PCs that trust the CA keep trusting
 * the stack), and the server certificate made anew when it no longer names this machine or is about
 * to expire. Keys are owner-only files; {@code ca.pem} is what a PC imports.
 *
 * <p>A PC that imports {@code ca.pem} into its root store would otherwise trust whoever holds
 * {@code ca-key.pem} for every web site; the CA is therefore name-constrained to the DNS names it
 * was made for (localhost and this machine's names, with their subdomains). IP addresses stay
 * unconstrained, so a changed address or bind address needs no new CA.
 */
final class LocalTls {

  static final String CA_FILE = "ca.pem";
  static final String CA_KEY_FILE = "ca-key.pem";
  static final String SERVER_FILE = "server.pem";
  static final String SERVER_KEY_FILE = "server-key.pem";

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  // Apple's platforms refuse server certificates valid for longer than 825 days.
  private static final Duration SERVER_LIFETIME = Duration.ofDays(825);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The files of one stack.
   *
   * @param dir {@code <data>/tls}
   * @param issued whether this start made a new server certificate
   * @param notCovered DNS names the CA may not certify (made for other names), left out
   */
  record Bundle(Path dir, boolean issued, List<String> notCovered) {
    Path ca() {
      return dir.resolve(CA_FILE);
    }

    Path server() {
      return dir.resolve(SERVER_FILE);
    }

    Path serverKey() {
      return dir.resolve(SERVER_KEY_FILE);
    }
  }

  private LocalTls() {}

  /**
   * Makes sure {@code dir} holds a CA and a server certificate for {@code names} (DNS names and IP
   * literals), valid for at least a month.
   */
  static Bundle ensure(Path dir, Collection<String> names) throws IOException {
    Files.createDirectories(dir);
    try {
      Path caFile = dir.resolve(CA_FILE);
      Path caKeyFile = dir.resolve(CA_KEY_FILE);
      X509Certificate ca;
      PrivateKey caKey;
      boolean newCa = !Files.isRegularFile(caFile) || !Files.isRegularFile(caKeyFile);
      if (newCa) {
        KeyPair caPair = rsa();
        ca = issueCa(caPair, names);
        caKey = caPair.getPrivate();
        PrivateFiles.write(caKeyFile, pem("PRIVATE KEY", caKey.getEncoded()));
        writePublic(caFile, pem("CERTIFICATE", ca.getEncoded()));
      } else {
        ca = readCertificate(caFile);
        caKey = readKey(caKeyFile);
        PrivateFiles.tighten(caKeyFile);
      }
      List<String> permitted = new ArrayList<>();
      List<String> notCovered = new ArrayList<>();
      List<String> caDomains = permittedDomains(ca);
      for (String name : names) {
        if (isIpLiteral(name) || caDomains == null || covers(caDomains, name)) {
          permitted.add(name);
        } else {
          notCovered.add(name);
        }
      }
      names = permitted;
      Path serverFile = dir.resolve(SERVER_FILE);
      Path serverKeyFile = dir.resolve(SERVER_KEY_FILE);
      if (!newCa
          && Files.isRegularFile(serverKeyFile)
          && Files.isRegularFile(serverFile)
          && stillGood(readCertificate(serverFile), ca, names)) {
        PrivateFiles.tighten(serverKeyFile);
        return new Bundle(dir, false, notCovered);
      }
      KeyPair serverPair = rsa();
      X509Certificate server = issueServer(serverPair, ca, caKey, names);
      // Key first: Spring Boot reloads the bundle when the files change; a new certificate next to
      // the old key would fail to load for a moment, the other order cannot.
      PrivateFiles.write(serverKeyFile, pem("PRIVATE KEY", serverPair.getPrivate().getEncoded()));
      writePublic(serverFile, pem("CERTIFICATE", server.getEncoded()) + pemOf(ca));
      return new Bundle(dir, true, notCovered);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("Could not make the local certificates in " + dir, e);
    }
  }

  /**
   * What the server certificate names: localhost, this machine's host names and addresses, and the
   * bind address (when it is one address, not all).
   */
  static List<String> namesFor(String bindAddress) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      InetAddress local = InetAddress.getLocalHost();
      names.add(local.getHostName().toLowerCase(Locale.ROOT));
      names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException noName) {
      // A machine without a resolvable host name: localhost and the addresses still work.
    }
    try {
      for (NetworkInterface nic :
          java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
          if (!address.isLinkLocalAddress()) {
            names.add(literal(address));
          }
        }
      }
    } catch (SocketException noInterfaces) {
      // Loopback only.
    }
    if (bindAddress != null && !bindAddress.isBlank()) {
      String bind = bindAddress.trim();
      if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
        names.add(bind.toLowerCase(Locale.ROOT));
      }
    }
    return new ArrayList<>(names);
  }

  private static String literal(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    return scope < 0 ? text : text.substring(0, scope);
  }

  private static boolean stillGood(
      X509Certificate server, X509Certificate ca, Collection<String> names)
      throws GeneralSecurityException {
    try {
      server.verify(ca.getPublicKey());
    } catch (GeneralSecurityException notFromThisCa) {
      return false;
    }
    if (server.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      return false;
    }
    Set<String> covered = new LinkedHashSet<>();
    Collection<List<?>> alternativeNames = server.getSubjectAlternativeNames();
    if (alternativeNames != null) {
      for (List<?> name : alternativeNames) {
        covered.add(normalise(String.valueOf(name.get(1))));
      }
    }
    return names.stream().map(LocalTls::normalise).allMatch(covered::contains);
  }

  /** IP literals compared as addresses ("::1" and "0:0:0:0:0:0:0:1" are one name). */
  private static String normalise(String name) {
    if (isIpLiteral(name)) {
      try {
        return InetAddress.getByName(name).getHostAddress();
      } catch (UnknownHostException e) {
        return name;
      }
    }
    return name.toLowerCase(Locale.ROOT);
  }

  static boolean isIpLiteral(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, RANDOM);
    return generator.generateKeyPair();
  }

  /** The DNS subtrees the CA may certify, or null when it is unconstrained (an older CA). */
  private static List<String> permittedDomains(X509Certificate ca) throws IOException {
    byte[] extension = ca.getExtensionValue(Extension.nameConstraints.getId());
    if (extension == null) {
      return null;
    }
    NameConstraints constraints =
        NameConstraints.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension));
    List<String> domains = new ArrayList<>();
    if (constraints.getPermittedSubtrees() != null) {
      for (GeneralSubtree subtree : constraints.getPermittedSubtrees()) {
        if (subtree.getBase().getTagNo() == GeneralName.dNSName) {
          domains.add(subtree.getBase().getName().toString().toLowerCase(Locale.ROOT));
        }
      }
    }
    return domains;
  }

  private static boolean covers(List<String> domains, String name) {
    String host = name.toLowerCase(Locale.ROOT);
    return domains.stream().anyMatch(domain -> host.equals(domain) || host.endsWith("." + domain));
  }

  private static X509Certificate issueCa(KeyPair pair, Collection<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    X500Name subject =
        new X500Name(
            "CN=TC Portal Monitor local CA (" + host.replace(",", " ") + "), O=TC Portal Monitor");
    Instant now = Instant.now();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                subject,
                serial(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_LIFETIME)),
                subject,
                pair.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.nameConstraints,
                true,
                new NameConstraints(
                    names.stream()
                        .filter(name -> !isIpLiteral(name))
                        .map(name -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, name)))
                        .toArray(GeneralSubtree[]::new),
                    null))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(pair.getPublic()));
    return sign(builder, pair.getPrivate());
  }

  private static X509Certificate issueServer(
      KeyPair pair, X509Certificate ca, PrivateKey caKey, Collection<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    List<GeneralName> alternativeNames = new ArrayList<>();
    for (String name : names) {
      alternativeNames.add(
          new GeneralName(isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                ca,
                serial(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(SERVER_LIFETIME)),
                new X500Name("CN=localhost, O=TC Portal Monitor"),
                pair.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(alternativeNames.toArray(GeneralName[]::new)))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(pair.getPublic()))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                extensions.createAuthorityKeyIdentifier(ca));
    return sign(builder, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String body =
        text.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  private static String pemOf(X509Certificate certificate) throws GeneralSecurityException {
    return pem("CERTIFICATE", certificate.getEncoded());
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

  /** Certificates are public, but still never written in place under a running server. */
  private static void writePublic(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        java.nio.file.attribute.PosixFileAttributeView view =
            Files.getFileAttributeView(temp, java.nio.file.attribute.PosixFileAttributeView.class);
        if (view != null) {
          view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
      } catch (IOException ignored) {
        // The default mode of a temporary file (owner-only) is merely stricter.
      }
      Files.move(
          temp,
          file,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
