package dev.palisade.gateway.tls;

import dev.palisade.gateway.secrets.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads PEM certificates and keys as operators make them with openssl. Encrypted PKCS#8 keys
 * ({@code openssl pkcs8 -topk8 -v2 aes-256-cbc}) are decrypted here, with a password that came
 * through the secret resolver, because Vert.x reads only unencrypted PEM keys; the plaintext key
 * then lives only in memory.
 */
public final class PemFiles {

  private static final String ENCRYPTED = "ENCRYPTED PRIVATE KEY";

  private PemFiles() {}

  /** A problem with one file; the message names it and says what is wrong (never a key byte). */
  public static final class PemException extends RuntimeException {
    PemException(String message) {
      super(message);
    }
  }

  public static List<X509Certificate> certificates(Path file) {
    return certificates(file, read(file));
  }

  /** The certificates in {@code content}, read earlier from {@code file} (named in errors). */
  public static List<X509Certificate> certificates(Path file, byte[] content) {
    try (InputStream in = new java.io.ByteArrayInputStream(content)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new PemException(file + ": holds no PEM certificate");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new PemException(file + ": not a PEM certificate file: " + e.getMessage());
    }
  }

  /** The file's bytes (symlinks followed), or a {@link PemException} naming it. */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PemException(file + ": cannot read: " + e.getMessage());
    }
  }

  /**
   * The key as unencrypted PKCS#8 PEM bytes for Vert.x. An encrypted key needs
   * {@code password}; an unencrypted one must not have one (a forgotten encryption step would
   * otherwise pass unnoticed).
   */
  public static byte[] privateKeyPem(Path file, Secret password) {
    return privateKeyPem(file, read(file), password);
  }

  /** As {@link #privateKeyPem(Path, Secret)}, for {@code content} read earlier from {@code file}. */
  public static byte[] privateKeyPem(Path file, byte[] content, Secret password) {
    String text = new String(content, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN ")) {
      throw new PemException(file + ": not a PEM key file");
    }
    boolean encrypted = text.contains("-----BEGIN " + ENCRYPTED + "-----");
    if (!encrypted) {
      if (text.contains("Proc-Type: 4,ENCRYPTED")) {
        throw new PemException(file + ": legacy OpenSSL-encrypted keys are not supported;"
            + " convert with 'openssl pkcs8 -topk8 -v2 aes-256-cbc'");
      }
      if (password != null) {
        throw new PemException(file + ": key_password is set but the key is not encrypted");
      }
      if (!text.contains("PRIVATE KEY-----")) {
        throw new PemException(file + ": holds no PEM private key");
      }
      return text.getBytes(StandardCharsets.US_ASCII);
    }
    if (password == null) {
      throw new PemException(file + ": the key is encrypted; set key_password (an enc:v1: value)");
    }
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(base64Block(text, ENCRYPTED));
      // PBES2 keys name their real scheme (e.g. PBEWithHmacSHA256AndAES_256) in the parameters.
      String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
      PBEKeySpec spec = new PBEKeySpec(password.reveal().toCharArray());
      Key pbeKey = SecretKeyFactory.getInstance(algorithm).generateSecret(spec);
      spec.clearPassword();
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, pbeKey, info.getAlgParameters());
      PKCS8EncodedKeySpec plain = info.getKeySpec(cipher);
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(plain.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      return pem.getBytes(StandardCharsets.US_ASCII);
    } catch (IOException | GeneralSecurityException e) {
      throw new PemException(file + ": cannot decrypt the key (wrong key_password or unsupported encryption)");
    }
  }

  /** A client SSLContext trusting only the CA certificates in {@code caFile}. */
  public static SSLContext trustOnly(Path caFile) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate c : certificates(caFile)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new PemException(caFile + ": cannot build a trust store: " + e.getMessage());
    }
  }

  private static byte[] base64Block(String text, String label) {
    int start = text.indexOf("-----BEGIN " + label + "-----");
    int end = text.indexOf("-----END " + label + "-----");
    if (start < 0 || end < start) {
      throw new PemException("missing PEM block " + label);
    }
    String body = text.substring(start + label.length() + 16, end).replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
