package dev.palisade.signing.keys;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PEM files for keys. Private keys are only ever written encrypted: PKCS#8 with PBES2 (PBKDF2 +
 * AES-256-CBC), the format {@code openssl pkey} and {@code cosign import-key-pair} read. Unencrypted
 * private keys are refused on read too, so a key that leaked to disk in the clear is noticed.
 */
public final class PemKeys {

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  /** PBKDF2 rounds: slow enough to hurt guessing, fast enough for a CLI (about 0.3 s here). */
  private static final int PBKDF2_ITERATIONS = 600_000;

  private PemKeys() {}

  public static String encryptedPrivateKeyPem(PrivateKey key, char[] password) throws KeyException {
    checkPassword(password);
    try {
      OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
          .setProvider(BC)
          .setIterationCount(PBKDF2_ITERATIONS)
          .setPassword(password)
          .build();
      return pem(new JcaPKCS8Generator(key, encryptor).generate());
    } catch (OperatorCreationException | IOException e) {
      throw new KeyException("cannot encrypt the private key: " + e.getMessage(), e);
    }
  }

  public static String publicKeyPem(PublicKey key) {
    try {
      return pem(key);
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to memory failed", e);
    }
  }

  /** Reads an encrypted PKCS#8 private key; {@code what} names the file in errors. */
  public static PrivateKey readPrivateKey(String pem, char[] password, String what) throws KeyException {
    Object object = parseSingle(pem, what);
    if (object instanceof PrivateKeyInfo || object instanceof org.bouncycastle.openssl.PEMKeyPair) {
      throw new KeyException(what + " holds an unencrypted private key; encrypt it (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
    }
    if (!(object instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
      throw new KeyException(what + " is not an encrypted PKCS#8 private key (ENCRYPTED PRIVATE KEY)");
    }
    checkPassword(password);
    try {
      PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password));
      // The JDK's own EC key type, whichever providers (BouncyCastle, added by sigstore-java) are installed.
      PrivateKey key;
      try {
        key = KeyFactory.getInstance("EC", "SunEC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new KeyException(what + " is not an ECDSA private key; only ECDSA P-256 keys are supported");
      }
      if (((java.security.interfaces.ECPrivateKey) key).getParams().getCurve().getField().getFieldSize() != 256) {
        throw new KeyException(what + " is not on curve P-256");
      }
      return key;
    } catch (PKCSException e) {
      throw new KeyException(what + ": wrong password, or the key file is damaged");
    } catch (OperatorCreationException | IOException e) {
      throw new KeyException(what + ": cannot decrypt the private key: " + e.getMessage(), e);
    }
  }

  /** Reads an ECDSA P-256 public key (PEM "PUBLIC KEY"). */
  public static PublicKey readPublicKey(String pem, String what) throws KeyException {
    Object object = parseSingle(pem, what);
    if (!(object instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo info)) {
      throw new KeyException(what + " is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    try {
      PublicKey key = KeyFactory.getInstance("EC", "SunEC").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
      checkP256(key, what);
      return key;
    } catch (GeneralSecurityException | IOException e) {
      throw new KeyException(what + " is not an ECDSA public key: " + e.getMessage());
    }
  }

  public static PublicKey readPublicKey(Path file) throws KeyException {
    return readPublicKey(readText(file), file.toString());
  }

  public static PrivateKey readPrivateKey(Path file, char[] password) throws KeyException {
    return readPrivateKey(readText(file), password, file.toString());
  }

  static void checkP256(PublicKey key, String what) throws KeyException {
    if (!(key instanceof ECPublicKey ec)) {
      throw new KeyException(what + " is not an ECDSA key");
    }
    ECParameterSpec params = ec.getParams();
    if (params.getCurve().getField().getFieldSize() != 256) {
      throw new KeyException(what + " is not on curve P-256");
    }
  }

  private static String readText(Path file) throws KeyException {
    try {
      if (Files.size(file) > 64 * 1024) {
        throw new KeyException(file + " is too large to be a key file");
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new KeyException("cannot read key file " + file + ": " + e.getMessage());
    }
  }

  private static Object parseSingle(String pem, String what) throws KeyException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new KeyException(what + " holds no PEM block");
      }
      if (parser.readObject() != null) {
        throw new KeyException(what + " holds more than one PEM block");
      }
      return object;
    } catch (IOException | RuntimeException e) {
      throw new KeyException(what + " is not valid PEM: " + e.getMessage());
    }
  }

  private static void checkPassword(char[] password) throws KeyException {
    if (password == null || password.length == 0) {
      throw new KeyException("the key password is empty");
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
