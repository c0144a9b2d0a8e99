package dev.palisade.gateway.secrets;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One AES-256 master key with the id written into every value it encrypts, so keys can be
 * rotated: encrypt with the newest, keep older ones around to decrypt.
 */
public record MasterKey(String id, byte[] key) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  public MasterKey {
    if (id == null || !ID.matcher(id).matches()) {
      throw new SecretException(
          "master key id must be 1-32 characters of [A-Za-z0-9_.-], got '" + id + "'");
    }
    if (key == null || key.length != 32) {
      throw new SecretException(
          "master key '" + id + "' must be 32 bytes (base64 of 32 random bytes), got "
              + (key == null ? 0 : key.length) + " bytes");
    }
    key = key.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterKey m && m.id.equals(id) && Arrays.equals(m.key, key);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "MasterKey[id=" + id + ", key=[REDACTED]]";
  }
}
