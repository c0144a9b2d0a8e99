package dev.palisade.scanner.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PathGlobTest {

  @Test
  void segmentsAndDoubleStars() {
    assertTrue(PathGlob.of("usr/share/doc/**").matches("usr/share/doc/x/y"));
    assertTrue(PathGlob.of("usr/share/doc/**").matches("/usr/share/doc/"));
    assertFalse(PathGlob.of("usr/share/doc/**").matches("usr/share/docs/x"));
    assertTrue(PathGlob.of("**/*.sh").matches("a.sh"));
    assertTrue(PathGlob.of("**/*.sh").matches("opt/app/run.sh"));
    assertFalse(PathGlob.of("**/*.sh").matches("opt/app/run.sh.txt"));
    assertTrue(PathGlob.of("home/*/.bashrc").matches("home/u/.bashrc"));
    assertFalse(PathGlob.of("home/*/.bashrc").matches("home/u/v/.bashrc"));
    assertTrue(PathGlob.of("**/tests/**").matches("app.jar!/x/tests/y"));
    assertTrue(PathGlob.of("**/Dockerfile").matches("Dockerfile"));
    assertTrue(PathGlob.of("**/*entrypoint*").matches("usr/local/bin/docker-entrypoint.sh"));
    assertFalse(PathGlob.of("**/*entrypoint*").matches("usr/local/bin/docker-start.sh"));
    assertFalse(PathGlob.of("**/*entrypoint*").matches("entrypoint.d/run"), "the literal must be in the last segment");
    assertTrue(PathGlob.of("**/site-packages/*.pth").matches("site-packages/x.pth"));
    assertTrue(PathGlob.of("**/site-packages/*.pth").matches("usr/lib/python3/site-packages/x.pth"));
    assertFalse(PathGlob.of("**/site-packages/*.pth").matches("usr/lib/site-packages.pth"));
    assertEquals(List.of("entrypoint"), PathGlob.of("**/*entrypoint*").inner());
    assertEquals(List.of("site-packages/"), PathGlob.of("**/site-packages/*.pth").inner());
    assertTrue(PathGlob.of("a/**/b").matches("a/b"));
    assertFalse(PathGlob.of("a*a").matches("a"));
    assertTrue(PathGlob.of("a*a").matches("aa"));
    assertTrue(PathGlob.of("etc/passwd").matches("./etc/passwd"));
    assertFalse(PathGlob.of("etc/passwd").matches("etc/passwd2"));
  }

  /** The literal head/tail/inner shortcuts must never change an answer of the regex, which defines them. */
  @Test
  void theShortcutAgreesWithTheRegexEverywhere() {
    Random random = new Random(5);
    String[] parts = {"a", "b", "/", "*", "**", "**/", "?", ".", "ab", "!/"};
    String[] pathParts = {"a", "b", "/", ".", "ab", "!/", "ba"};
    for (int round = 0; round < 3000; round++) {
      StringBuilder g = new StringBuilder();
      for (int i = 0; i < 1 + random.nextInt(6); i++) {
        g.append(parts[random.nextInt(parts.length)]);
      }
      if (g.toString().isBlank()) {
        continue;
      }
      PathGlob glob = PathGlob.of(g.toString());
      for (int k = 0; k < 20; k++) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < random.nextInt(8); i++) {
          p.append(pathParts[random.nextInt(pathParts.length)]);
        }
        String path = p.toString();
        boolean byRegex = glob.pattern().matcher(PathGlob.normalize(path)).matches();
        assertEquals(byRegex, glob.matches(path), "glob " + glob + " path " + path);
      }
    }
    for (String g : List.of("usr/share/doc/**", "**/*.sh", "**/Dockerfile", "etc/cron*/**")) {
      assertTrue(PathGlob.of(g).tail().length() + PathGlob.of(g).head().length() > 0, g);
    }
  }
}
