package dev.palisade.oci.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {

  private static final byte[] CONTENT = "layer bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void passesMatchingContent() throws Exception {
    try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), Digest.sha256(CONTENT), CONTENT.length)) {
      assertArrayEquals(CONTENT, in.readAllBytes());
      assertTrue(in.verified());
    }
  }

  @Test
  void wrongDigestFailsAtEndAndNamesTheDigest() {
    Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
    BlobIntegrityException e = assertThrows(BlobIntegrityException.class, () -> {
      try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), other, CONTENT.length)) {
        in.readAllBytes();
      }
    });
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
  }

  @Test
  void moreBytesThanDeclaredFailsAsSoonAsTheyArrive() {
    BlobIntegrityException e = assertThrows(BlobIntegrityException.class, () -> {
      try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), Digest.sha256(CONTENT), 4)) {
        in.readAllBytes();
      }
    });
    assertTrue(e.getMessage().contains("declared size of 4"), e.getMessage());
  }

  @Test
  void fewerBytesThanDeclaredFails() {
    BlobIntegrityException e = assertThrows(BlobIntegrityException.class, () -> {
      try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), Digest.sha256(CONTENT), 100_000_000_000L)) {
        in.readAllBytes();
      }
    });
    assertTrue(e.getMessage().contains("declared size is 100000000000"), e.getMessage());
  }

  @Test
  void skipStillHashes() throws Exception {
    try (VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(CONTENT), Digest.sha256(CONTENT), CONTENT.length)) {
      in.skip(5);
      in.readAllBytes();
      assertTrue(in.verified());
    }
  }

  @Test
  void digestRefusesBadForms() {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:ABC"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:" + "a".repeat(32)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("nocolon"));
  }
}
