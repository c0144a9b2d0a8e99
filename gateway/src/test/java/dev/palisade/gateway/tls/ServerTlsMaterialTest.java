package dev.palisade.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.ClientAuthMode;
import dev.palisade.gateway.config.ServerTls;
import dev.palisade.gateway.testing.Pki;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks a certificate, key and client CA set passes before it is served, on openssl-made files. */
class ServerTlsMaterialTest {

  @TempDir static Path dir;
  static Pki pki;
  static Pki.Leaf leaf;
  static Pki.Leaf other;
  static Vertx vertx;

  @BeforeAll
  static void setUp() {
    pki = Pki.create(dir, "material");
    leaf = pki.server("leaf", null);
    other = pki.server("other", null);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    vertx.close();
  }

  static ServerTls tls(Path cert, Path key) {
    return new ServerTls(cert, key, null, null, ClientAuthMode.NONE);
  }

  @Test
  void aGoodPairLoadsAndDescribesOnlyPublicData() {
    ServerTlsMaterial m = ServerTlsMaterial.load(tls(leaf.cert(), leaf.key()), Instant.now(), vertx);
    assertEquals(leaf.certificate().getSerialNumber(), m.leaf().getSerialNumber());
    assertEquals(ServerTlsMaterial.filesSha256(tls(leaf.cert(), leaf.key())), m.filesSha256());
    assertFalse(m.toString().contains("PRIVATE"), m.toString());
    assertTrue(m.toString().contains(leaf.certificate().getSerialNumber().toString(16)), m.toString());
  }

  @Test
  void aCertificateNotYetValidIsRefusedBeyondTheAllowedClockSkew() {
    Instant notBefore = leaf.certificate().getNotBefore().toInstant();
    ServerTlsMaterial.load(tls(leaf.cert(), leaf.key()), notBefore.minus(Duration.ofMinutes(1)), vertx);
    var e = assertThrows(ServerTlsMaterial.InvalidMaterialException.class,
        () -> ServerTlsMaterial.load(tls(leaf.cert(), leaf.key()), notBefore.minus(Duration.ofHours(1)), vertx));
    assertTrue(e.getMessage().startsWith(leaf.cert() + ": the certificate (serial "), e.getMessage());
    assertTrue(e.getMessage().contains("is not valid before " + notBefore), e.getMessage());
  }

  @Test
  void aCertificatePastItsNotAfterIsRefused() {
    Instant notAfter = leaf.certificate().getNotAfter().toInstant();
    var e = assertThrows(ServerTlsMaterial.InvalidMaterialException.class,
        () -> ServerTlsMaterial.load(tls(leaf.cert(), leaf.key()), notAfter, vertx));
    assertTrue(e.getMessage().contains("expired at " + notAfter), e.getMessage());
  }

  @Test
  void anotherPairsKeyIsRefusedNamingBothFiles() {
    var e = assertThrows(ServerTlsMaterial.InvalidMaterialException.class,
        () -> ServerTlsMaterial.load(tls(leaf.cert(), other.key()), Instant.now(), vertx));
    assertEquals(other.key() + ": the key is not the key of the certificate in " + leaf.cert(), e.getMessage());
  }

  @Test
  void traditionalSec1AndPkcs1KeysAreUnderstoodAndAKeyOfAnotherTypeIsRefused() throws Exception {
    // cert-manager writes PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY") by default.
    Path sec1 = dir.resolve("leaf.sec1.key");
    Pki.openssl(dir, "ec", "-in", "leaf.plain.key", "-out", sec1.getFileName().toString());
    assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
    ServerTlsMaterial.load(tls(leaf.cert(), sec1), Instant.now(), vertx);

    Pki.openssl(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
    Pki.openssl(dir, "req", "-new", "-x509", "-key", "rsa.key", "-subj", "/CN=rsa", "-days", "2",
        "-addext", "subjectAltName=IP:127.0.0.1", "-out", "rsa.pem");
    assertTrue(Files.readString(dir.resolve("rsa.key")).contains("BEGIN RSA PRIVATE KEY"));
    ServerTlsMaterial rsa = ServerTlsMaterial.load(tls(dir.resolve("rsa.pem"), dir.resolve("rsa.key")), Instant.now(), vertx);
    assertEquals("RSA", rsa.leaf().getPublicKey().getAlgorithm());

    var e = assertThrows(ServerTlsMaterial.InvalidMaterialException.class,
        () -> ServerTlsMaterial.load(tls(leaf.cert(), dir.resolve("rsa.key")), Instant.now(), vertx));
    assertTrue(e.getMessage().startsWith(dir.resolve("rsa.key") + ": the key is not the key of the certificate in "),
        e.getMessage());
  }

  @Test
  void aClientCaFileThatIsNoCertificateIsRefused() throws Exception {
    Path ca = dir.resolve("not-a-ca.pem");
    Files.writeString(ca, "hello\n");
    var e = assertThrows(ServerTlsMaterial.InvalidMaterialException.class, () -> ServerTlsMaterial.load(
        new ServerTls(leaf.cert(), leaf.key(), null, ca, ClientAuthMode.REQUIRED), Instant.now(), vertx));
    assertTrue(e.getMessage().startsWith(ca + ": "), e.getMessage());
  }

  @Test
  void theFilesHashFollowsEveryFile() throws Exception {
    Path ca = dir.resolve("hash-ca.pem");
    Files.copy(pki.caCert(), ca);
    ServerTls withCa = new ServerTls(leaf.cert(), leaf.key(), null, ca, ClientAuthMode.REQUIRED);
    String before = ServerTlsMaterial.filesSha256(withCa);
    Files.writeString(ca, Files.readString(ca) + Files.readString(pki.caCert()));
    assertNotEquals(before, ServerTlsMaterial.filesSha256(withCa));
  }
}
