package dev.palisade.gateway.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code enc:v1:<keyId>:<base64url(nonce || ciphertext || tag)>} with AES-256-GCM. The prefix
 * and key id are bound as associated data, so a value cannot be moved to another key id or
 * format version without failing authentication.
 */
public final class SecretCipher {

  public static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final MasterKeyRing ring;
  private final SecureRandom random = new SecureRandom();

  public SecretCipher(MasterKeyRing ring) {
    this.ring = ring;
  }

  public static boolean isEncrypted(String value) {
    return value.startsWith(PREFIX);
  }

  public String encrypt(String plaintext) {
    MasterKey key = ring.current();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, key, nonce, plaintext.getBytes(StandardCharsets.UTF_8));
    byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    return PREFIX + key.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** Decrypts; the messages say what is wrong without echoing the value. */
  public Secret decrypt(String value) {
    if (!isEncrypted(value)) {
      throw new SecretException("not an " + PREFIX + " value");
    }
    String rest = value.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon <= 0) {
      throw new SecretException("malformed " + PREFIX + " value: expected enc:v1:<keyId>:<data>");
    }
    String keyId = rest.substring(0, colon);
    MasterKey key =
        ring.byId(keyId)
            .orElseThrow(
                () ->
                    new SecretException(
                        "encrypted with master key id '" + keyId + "', but the master key ring"
                            + " holds only " + ring.ids()));
    byte[] data;
    try {
      data = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new SecretException("malformed " + PREFIX + " value: the data is not base64url");
    }
    if (data.length <= NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretException("malformed " + PREFIX + " value: too short");
    }
    byte[] nonce = java.util.Arrays.copyOf(data, NONCE_BYTES);
    byte[] sealed = java.util.Arrays.copyOfRange(data, NONCE_BYTES, data.length);
    String plain = new String(run(Cipher.DECRYPT_MODE, key, nonce, sealed), StandardCharsets.UTF_8);
    return new Secret(plain);
  }

  private static byte[] run(int mode, MasterKey key, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD((PREFIX + key.id()).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new SecretException(
          "does not decrypt with master key '" + key.id() + "': wrong master key or a corrupted value");
    } catch (GeneralSecurityException e) {
      throw new SecretException("AES-GCM failed: " + e.getMessage());
    }
  }
}
