package dev.palisade.oci.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void stripsUserInfoAndSecretQueryValues() {
    String out = Redactor.uri(URI.create("https://user:hunter2@s3.example/blob?X-Amz-Signature=abc123&part=1&token=t0k"));
    assertFalse(out.contains("hunter2"), out);
    assertFalse(out.contains("abc123"), out);
    assertFalse(out.contains("t0k"), out);
    assertEquals("https://<redacted>@s3.example/blob?X-Amz-Signature=<redacted>&part=1&token=<redacted>", out);
  }

  @Test
  void masksAuthorizationHeadersAndInlineSchemes() {
    assertEquals(Redactor.MASK, Redactor.header("Authorization", "Bearer abc.def.ghi"));
    assertEquals("text/plain", Redactor.header("Content-Type", "text/plain"));
    assertEquals("sent Bearer <redacted> to it", Redactor.text("sent Bearer eyJhbGciOiJIUzI1NiJ9 to it"));
  }
}
