package dev.palisade.signing.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {

  @TempDir Path dir;

  @Test
  void keygenWritesAnEncryptedKeyThatOnlyTheRightPasswordOpens() throws Exception {
    KeyPairFiles.Written written = KeyPairFiles.generate(dir.resolve("release"), "s3cret".toCharArray());
    String pem = Files.readString(written.privateKey());
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written.privateKey())));
    PrivateKey key = PemKeys.readPrivateKey(written.privateKey(), "s3cret".toCharArray());
    PublicKey pub = PemKeys.readPublicKey(written.publicKey());
    assertEquals("EC", key.getAlgorithm());
    assertEquals(written.hint(), KeyHint.of(pub));
    KeyException wrong = assertThrows(KeyException.class, () -> PemKeys.readPrivateKey(written.privateKey(), "nope".toCharArray()));
    assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
    assertTrue(wrong.getMessage().contains(written.privateKey().toString()), wrong.getMessage());
  }

  @Test
  void opensslReadsTheKeyWeWrite() throws Exception {
    KeyPairFiles.Written written = KeyPairFiles.generate(dir.resolve("k"), "pw-for-openssl".toCharArray());
    String out;
    {
      // The password goes through the environment, never argv.
      ProcessBuilder builder = new ProcessBuilder(Openssl.binary(), "pkey", "-in", written.privateKey().toString(), "-passin", "env:PW", "-pubout");
      builder.environment().put("PW", "pw-for-openssl");
      builder.redirectErrorStream(true);
      Process p = builder.start();
      out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), out);
    }
    assertEquals(Files.readString(written.publicKey()).strip(), out.strip());
  }

  @Test
  void refusesToOverwriteAndRefusesUnencryptedKeys() throws Exception {
    KeyPairFiles.generate(dir.resolve("k"), "pw".toCharArray());
    KeyException exists = assertThrows(KeyException.class, () -> KeyPairFiles.generate(dir.resolve("k"), "pw".toCharArray()));
    assertTrue(exists.getMessage().contains("already exists"));
    Path plain = dir.resolve("plain.pem");
    ProcessBuilder builder = new ProcessBuilder(Openssl.binary(), "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", plain.toString());
    assertEquals(0, builder.start().waitFor());
    KeyException unencrypted = assertThrows(KeyException.class, () -> PemKeys.readPrivateKey(plain, "pw".toCharArray()));
    assertTrue(unencrypted.getMessage().contains("unencrypted"), unencrypted.getMessage());
    KeyException notAKey = assertThrows(KeyException.class, () -> PemKeys.readPublicKey("hello", "x.pub"));
    assertTrue(notAKey.getMessage().startsWith("x.pub"), notAKey.getMessage());
  }

  @Test
  void passwordsComeFromEnvironmentOrStdin() throws Exception {
    assertArrayEquals("a".toCharArray(), Passwords.fromEnvironment(java.util.Map.of("COSIGN_PASSWORD", "a"), "COSIGN_PASSWORD"));
    assertThrows(KeyException.class, () -> Passwords.fromEnvironment(java.util.Map.of(), "COSIGN_PASSWORD"));
    assertArrayEquals("line".toCharArray(), Passwords.fromStream(new java.io.ByteArrayInputStream("line\nrest".getBytes())));
  }
}
