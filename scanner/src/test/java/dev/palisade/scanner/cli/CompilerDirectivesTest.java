package dev.palisade.scanner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bin/scanner hands scanner/jvm/compiler-directives.json to the JVM for scans. A method renamed in
 * the code would silently fall back to C1 (slower, never wrong), and a file the JVM rejects would
 * stop every scan before it starts: both are caught here.
 */
class CompilerDirectivesTest {

  private static final Path FILE = Path.of("jvm", "compiler-directives.json");

  private static JsonNode directives() throws IOException {
    return new ObjectMapper().readTree(Files.readString(FILE));
  }

  @Test
  void theJvmAcceptsTheFile() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-XX:+UnlockDiagnosticVMOptions",
        "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(), "-version").redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "java -version did not end");
    assertEquals(0, process.exitValue(), output);
  }

  @Test
  void c2IsKeptForTheListedMethodsAndLeftOutForEverythingElse() throws Exception {
    JsonNode all = directives();
    assertEquals(2, all.size());
    assertFalse(all.get(0).get("c2").get("Exclude").asBoolean());
    assertEquals("*.*", all.get(1).get("match").asText());
    assertTrue(all.get(1).get("c2").get("Exclude").asBoolean());
  }

  @Test
  void everyListedClassAndMethodExists() throws Exception {
    List<String> missing = new ArrayList<>();
    for (JsonNode pattern : directives().get(0).get("match")) {
      if (!exists(pattern.asText())) {
        missing.add(pattern.asText());
      }
    }
    assertTrue(missing.isEmpty(), "no such class or method (renamed?): " + missing);
  }

  @Test
  void binScannerPassesTheFileForScans() throws Exception {
    String launcher = Files.readString(Path.of("..", "bin", "scanner"));
    assertTrue(launcher.contains("scanner/jvm/compiler-directives.json"), "bin/scanner no longer names the file");
    assertTrue(launcher.contains("-XX:CompilerDirectivesFile="), "bin/scanner no longer passes the file");
  }

  /** {@code pkg/Class.method}, where a class of {@code *} means a whole package and a trailing {@code *} a prefix. */
  private static boolean exists(String pattern) {
    int dot = pattern.lastIndexOf('.');
    if (dot < 0) {
      fail("pattern without a method part: " + pattern);
    }
    String type = pattern.substring(0, dot).replace('/', '.');
    String method = pattern.substring(dot + 1);
    if (type.endsWith(".*")) {
      return packageExists(type.substring(0, type.length() - 2));
    }
    Class<?> found;
    try {
      found = Class.forName(type, false, CompilerDirectivesTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return false;
    }
    if (method.equals("*")) {
      return true;
    }
    boolean prefix = method.endsWith("*");
    String name = prefix ? method.substring(0, method.length() - 1) : method;
    return Arrays.stream(found.getDeclaredMethods()).map(Method::getName)
        .anyMatch(m -> prefix ? m.startsWith(name) : m.equals(name));
  }

  private static boolean packageExists(String name) {
    if (ModuleLayer.boot().modules().stream().anyMatch(m -> m.getPackages().contains(name))) {
      return true;
    }
    return Files.isDirectory(Path.of("target", "classes").resolve(name.replace('.', '/')));
  }
}
