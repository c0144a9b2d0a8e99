package dev.palisade.signing.verify;

import dev.palisade.signing.keys.KeyHint;
import java.security.PublicKey;

/** A public key a policy trusts, with the name it is shown under (usually its file). */
public record TrustedKey(String name, PublicKey key) {
  public TrustedKey {
    if (name == null || key == null) {
      throw new IllegalArgumentException("a trusted key needs a name and a key");
    }
  }

  public String hint() {
    return KeyHint.of(key);
  }
}
