package dev.palisade.scanner.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegexLiteralsTest {

  @Test
  void longestRequiredLiteral() {
    assertEquals("stratum", RegexLiterals.longestRequired("stratum[12]?\\+(tcp|ssl)://[a-z]+"));
    assertEquals("$(nproc)", RegexLiterals.longestRequired("(-t|--threads)[ =]+[\"']?\\$\\(nproc\\)"));
    assertEquals("--donate-leve", RegexLiterals.longestRequired("--donate-level?=\\d"));
    assertEquals("curl", RegexLiterals.longestRequired("curl[^|;&\\n]{0,200}\\|[ \\t]*sh"));
    assertEquals("url", RegexLiterals.longestRequired("url[0-9]{1,3}\\.[0-9]{1,3}"));
    assertEquals("abc", RegexLiterals.longestRequired("x*abc+d"));
    assertEquals("", RegexLiterals.longestRequired("curl|wget"));
    assertEquals("\"url\"", RegexLiterals.longestRequired("\"url\"[ \\t]*:"));
  }

  @Test
  void leadingLiterals() {
    assertEquals(java.util.List.of("stratum"), RegexLiterals.leadingLiterals("stratum[12]?\\+(tcp|ssl)"));
    assertEquals(java.util.List.of("a.com:", "b-c.org:"), RegexLiterals.leadingLiterals("(a\\.com|b-c\\.org):[0-9]+"));
    assertEquals(java.util.List.of("-o ", "-o=", "--url ", "--url="), RegexLiterals.leadingLiterals("(-o|--url)[ =]+x"));
    assertEquals(java.util.List.of("ab"), RegexLiterals.leadingLiterals("abc?d"));
    assertEquals(java.util.List.of("c"), RegexLiterals.leadingLiterals("c+d"));
    assertEquals(java.util.List.of(), RegexLiterals.leadingLiterals("(a|b)?c"));
    assertEquals(java.util.List.of(), RegexLiterals.leadingLiterals("(a|[bc])d"));
    assertEquals(java.util.List.of(), RegexLiterals.leadingLiterals("[a-c]d"));
    assertEquals(java.util.List.of("curl"), RegexLiterals.leadingLiterals("curl[^|;&\\n]{0,200}"));
  }

  @Test
  void lineAnchorsOutsideClasses() {
    assertTrue(RegexLiterals.hasLineAnchors("^abc"));
    assertTrue(RegexLiterals.hasLineAnchors("abc$"));
    assertFalse(RegexLiterals.hasLineAnchors("[^a]\\$x"));
  }
}
