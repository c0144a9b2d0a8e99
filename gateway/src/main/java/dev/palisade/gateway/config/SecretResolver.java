package dev.palisade.gateway.config;

import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.Secret;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.secrets.SecretException;
import java.util.Optional;

/**
 * Turns a key value from the config into a {@link Secret}: {@code enc:v1:} values are decrypted
 * with the master key ring; plaintext is refused unless explicitly allowed.
 */
public final class SecretResolver {

  private final Optional<SecretCipher> cipher;
  private final boolean allowPlaintext;
  private boolean plaintextSeen;

  public SecretResolver(Optional<MasterKeyRing> ring, boolean allowPlaintext) {
    this.cipher = ring.map(SecretCipher::new);
    this.allowPlaintext = allowPlaintext;
  }

  Secret resolve(YamlNode at) {
    return resolve(at, "provider key");
  }

  /** @param what names the value in the refusal of plaintext, e.g. "key password" */
  Secret resolve(YamlNode at, String what) {
    String raw = at.nonBlankText();
    String where = at.where();
    if (SecretCipher.isEncrypted(raw)) {
      SecretCipher c =
          cipher.orElseThrow(
              () ->
                  new SecretException(
                      where + ": an enc:v1: value needs the master key: set "
                          + MasterKeyRing.ENV_VAR + " or pass --master-key-file FILE"));
      try {
        return c.decrypt(raw);
      } catch (SecretException e) {
        throw new SecretException(where + ": " + e.getMessage());
      }
    }
    if (!allowPlaintext) {
      throw new SecretException(
          where + ": plaintext " + what + " refused; encrypt it with 'gateway secrets encrypt'"
              + " or start with --allow-plaintext-secrets");
    }
    plaintextSeen = true;
    return new Secret(raw);
  }

  /** True when at least one plaintext key was accepted (the CLI warns once). */
  public boolean plaintextSeen() {
    return plaintextSeen;
  }
}
