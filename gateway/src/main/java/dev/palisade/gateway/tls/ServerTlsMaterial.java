package dev.palisade.gateway.tls;

import dev.palisade.gateway.config.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The certificate chain, key and client CAs the TLS listener serves, read once from the files
 * {@code server.tls} names and checked before any handshake sees them: the chain parses, the leaf
 * is within its validity period, the key (decrypted if need be) is the leaf's key, the client CA
 * file parses. Vert.x then gets the very bytes that were checked (values, not paths), so a file
 * that changes again between the check and the use cannot slip in unchecked.
 *
 * <p>Not a record on purpose: it holds the plaintext key, and a record's {@code toString()} would
 * print it.
 */
public final class ServerTlsMaterial {

  /**
   * How far in the future a leaf's notBefore may lie. A freshly issued certificate (cert-manager
   * sets notBefore to the issuing moment) must not be refused because this host's clock lags the
   * issuer's by a few seconds; clients' clocks drift the same way.
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final ServerTls source;
  private final byte[] chainPem;
  private final byte[] keyPem;
  private final byte[] clientCaPem;
  private final X509Certificate leaf;
  private final String filesSha256;

  private ServerTlsMaterial(ServerTls source, byte[] chainPem, byte[] keyPem, byte[] clientCaPem,
      X509Certificate leaf, String filesSha256) {
    this.source = source;
    this.chainPem = chainPem;
    this.keyPem = keyPem;
    this.clientCaPem = clientCaPem;
    this.leaf = leaf;
    this.filesSha256 = filesSha256;
  }

  /** What is wrong with the files; the message names the file and never holds key material. */
  public static final class InvalidMaterialException extends RuntimeException {
    InvalidMaterialException(String message) {
      super(message);
    }
  }

  /**
   * Reads and checks the files of {@code tls} (symlinks followed) as of {@code now}. Blocking.
   *
   * @param vertx parses the key the way the listener will (PKCS#8, PKCS#1 RSA and SEC1 EC PEM)
   * @throws InvalidMaterialException naming the file and the problem
   */
  public static ServerTlsMaterial load(ServerTls tls, Instant now, Vertx vertx) {
    try {
      byte[] chainFile = PemFiles.read(tls.certFile());
      byte[] keyFile = PemFiles.read(tls.keyFile());
      byte[] caFile = tls.clientCaFile() == null ? null : PemFiles.read(tls.clientCaFile());
      String sha = filesSha256(chainFile, keyFile, caFile);
      List<X509Certificate> chain = PemFiles.certificates(tls.certFile(), chainFile);
      X509Certificate leaf = chain.get(0);
      checkValidity(tls, leaf, now);
      byte[] keyPem = PemFiles.privateKeyPem(tls.keyFile(), keyFile, tls.keyPassword());
      checkKeyMatches(tls, leaf, chainFile, keyPem, vertx);
      if (caFile != null) {
        PemFiles.certificates(tls.clientCaFile(), caFile);
      }
      return new ServerTlsMaterial(tls, chainFile, keyPem, caFile, leaf, sha);
    } catch (PemFiles.PemException e) {
      throw new InvalidMaterialException(e.getMessage());
    }
  }

  /**
   * The content hash of the three files as they are now, to notice a rotation cheaply; the raw
   * bytes are hashed (an encrypted key is not decrypted for this). Blocking.
   */
  public static String filesSha256(ServerTls tls) {
    return filesSha256(PemFiles.read(tls.certFile()), PemFiles.read(tls.keyFile()),
        tls.clientCaFile() == null ? null : PemFiles.read(tls.clientCaFile()));
  }

  private static String filesSha256(byte[] chain, byte[] key, byte[] ca) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      // Each part's length goes in first, so moving bytes from one file to the next changes the hash.
      for (byte[] part : new byte[][] {chain, key, ca == null ? new byte[0] : ca}) {
        d.update(Long.toString(part.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        d.update((byte) ':');
        d.update(part);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void checkValidity(ServerTls tls, X509Certificate leaf, Instant now) {
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    String serial = leaf.getSerialNumber().toString(16);
    if (!now.isBefore(notAfter)) {
      throw new InvalidMaterialException(tls.certFile() + ": the certificate (serial " + serial
          + ") expired at " + notAfter);
    }
    if (now.plus(CLOCK_SKEW).isBefore(notBefore)) {
      throw new InvalidMaterialException(tls.certFile() + ": the certificate (serial " + serial
          + ") is not valid before " + notBefore);
    }
  }

  /**
   * Signs a random challenge with the key and verifies it with the leaf's public key: the one
   * check that works for every key type and catches a key from another pair (a rotation caught
   * between writing the certificate and writing the key).
   */
  private static void checkKeyMatches(ServerTls tls, X509Certificate leaf, byte[] chainPem, byte[] keyPem, Vertx vertx) {
    PrivateKey key;
    try {
      KeyManagerFactory kmf = new PemKeyCertOptions().setCertValue(Buffer.buffer(chainPem))
          .setKeyValue(Buffer.buffer(keyPem)).getKeyManagerFactory(vertx);
      key = privateKey(kmf, leaf.getPublicKey().getAlgorithm());
    } catch (Exception e) {
      // The JDK key store refuses a key whose type is not the certificate's (an RSA key for an EC
      // certificate): that is a mismatched pair, not an unreadable key. Other messages are not
      // echoed, as a parser's message could quote what it read.
      if (String.valueOf(e.getMessage()).contains("does not match algorithm")) {
        throw new InvalidMaterialException(tls.keyFile() + ": the key is not the key of the certificate in "
            + tls.certFile() + " (the certificate's key type is " + leaf.getPublicKey().getAlgorithm() + ")");
      }
      throw new InvalidMaterialException(tls.keyFile() + ": not a usable PEM private key ("
          + e.getClass().getSimpleName() + ")");
    }
    if (key == null || !key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())) {
      throw new InvalidMaterialException(tls.keyFile() + ": the key is not the key of the certificate in "
          + tls.certFile() + " (the certificate's key type is " + leaf.getPublicKey().getAlgorithm() + ")");
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
      default -> throw new InvalidMaterialException(tls.keyFile() + ": unsupported key type " + key.getAlgorithm()
          + " (use an EC, RSA or EdDSA key)");
    };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw new InvalidMaterialException(tls.keyFile() + ": the key is not the key of the certificate in "
            + tls.certFile());
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidMaterialException(tls.keyFile() + ": the key is not the key of the certificate in "
          + tls.certFile() + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static PrivateKey privateKey(KeyManagerFactory kmf, String keyType) {
    for (KeyManager m : kmf.getKeyManagers()) {
      if (m instanceof X509KeyManager x) {
        String[] aliases = x.getServerAliases(keyType, null);
        if (aliases != null && aliases.length > 0) {
          return x.getPrivateKey(aliases[0]);
        }
      }
    }
    return null;
  }

  /** Options for {@code HttpServer#updateSSLOptions} (and the listener's first options). */
  public ServerSSLOptions options() {
    ServerSSLOptions options = new ServerSSLOptions()
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(chainPem)).setKeyValue(Buffer.buffer(keyPem)))
        .setEnabledSecureTransportProtocols(TlsOptions.PROTOCOLS)
        .setClientAuth(switch (source.clientAuth()) {
          case NONE -> ClientAuth.NONE;
          case REQUEST -> ClientAuth.REQUEST;
          case REQUIRED -> ClientAuth.REQUIRED;
        });
    if (clientCaPem != null) {
      options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCaPem)));
    }
    return options;
  }

  public ServerTls source() {
    return source;
  }

  /** The leaf certificate new handshakes present. */
  public X509Certificate leaf() {
    return leaf;
  }

  /** The content hash of the files this was read from (see {@link #filesSha256(ServerTls)}). */
  public String filesSha256() {
    return filesSha256;
  }

  /** Serial and validity: safe to log and return (public data of the certificate only). */
  public String describe() {
    return "serial " + leaf.getSerialNumber().toString(16) + ", subject " + leaf.getSubjectX500Principal().getName()
        + ", valid until " + leaf.getNotAfter().toInstant();
  }

  @Override
  public String toString() {
    return "ServerTlsMaterial[" + describe() + "]";
  }
}
