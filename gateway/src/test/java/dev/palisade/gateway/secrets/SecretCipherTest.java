package dev.palisade.gateway.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

  static final MasterKeyRing K1 = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");

  @Test
  void roundTripsAndCarriesTheKeyId() {
    SecretCipher cipher = new SecretCipher(K1);
    String enc = cipher.encrypt("sk-live-123");
    assertTrue(enc.startsWith("enc:v1:k1:"), enc);
    assertFalse(enc.contains("sk-live-123"));
    assertNotEquals(enc, cipher.encrypt("sk-live-123"), "a fresh nonce each time");
    assertEquals("sk-live-123", cipher.decrypt(enc).reveal());
  }

  @Test
  void aWrongMasterKeyIsRefusedClearly() {
    String enc = new SecretCipher(K1).encrypt("sk-live-123");
    MasterKeyRing other = MasterKeyRing.parse(MasterKeyRing.generate("k1"), "test");
    SecretException e = assertThrows(SecretException.class, () -> new SecretCipher(other).decrypt(enc));
    assertEquals("does not decrypt with master key 'k1': wrong master key or a corrupted value", e.getMessage());
  }

  @Test
  void rotationDecryptsWithOlderKeysAndEncryptsWithTheFirst() {
    String old = new SecretCipher(K1).encrypt("sk-old");
    String k1Line = "k1:" + java.util.Base64.getEncoder().encodeToString(K1.current().key());
    MasterKeyRing rotated = MasterKeyRing.parse(MasterKeyRing.generate("k2") + "\n" + k1Line, "test");
    SecretCipher cipher = new SecretCipher(rotated);
    assertEquals("sk-old", cipher.decrypt(old).reveal());
    assertTrue(cipher.encrypt("sk-new").startsWith("enc:v1:k2:"));
  }

  @Test
  void anUnknownKeyIdOrTamperedValueIsNamed() {
    String enc = new SecretCipher(K1).encrypt("sk-live-123");
    MasterKeyRing k9 = MasterKeyRing.parse(MasterKeyRing.generate("k9"), "test");
    assertEquals("encrypted with master key id 'k1', but the master key ring holds only [k9]",
        assertThrows(SecretException.class, () -> new SecretCipher(k9).decrypt(enc)).getMessage());
    String movedToOtherId = enc.replace("enc:v1:k1:", "enc:v1:k9:");
    assertThrows(SecretException.class, () -> new SecretCipher(k9).decrypt(movedToOtherId));
    char last = enc.charAt(enc.length() - 1);
    String tampered = enc.substring(0, enc.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThrows(SecretException.class, () -> new SecretCipher(K1).decrypt(tampered));
  }

  @Test
  void malformedMasterKeysAreRefusedWithoutEchoingThem() {
    SecretException e = assertThrows(SecretException.class,
        () -> MasterKeyRing.parse("k1:c2hvcnQ=", "environment variable X"));
    assertEquals("environment variable X: master key 'k1' must be 32 bytes (base64 of 32 random bytes), got 5 bytes",
        e.getMessage());
    assertThrows(SecretException.class, () -> MasterKeyRing.parse("no-colon-here", "f"));
    assertThrows(SecretException.class, () -> MasterKeyRing.parse("k1:!!!notbase64", "f"));
  }

  @Test
  void secretsAndKeysHideThemselvesInToString() {
    assertEquals("[REDACTED]", new Secret("sk-live-123").toString());
    assertFalse(K1.current().toString().contains(java.util.Base64.getEncoder().encodeToString(K1.current().key())));
  }
}
