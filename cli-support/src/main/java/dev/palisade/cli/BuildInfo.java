package dev.palisade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit a CLI was built from, baked into {@code META-INF/palisade/<cli>/build.properties}
 * by resource filtering at build time.
 */
public record BuildInfo(String cliName, String version, String commit) {

  public BuildInfo {
    if (cliName == null || cliName.isBlank()) {
      throw new IllegalArgumentException("cliName must not be blank");
    }
  }

  /** Reads the build info of the named CLI from the classpath; "unknown" for anything missing. */
  public static BuildInfo of(String cliName) {
    String resource = "/META-INF/palisade/" + cliName + "/build.properties";
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return new BuildInfo(cliName, clean(properties.getProperty("version")), clean(properties.getProperty("commit")));
  }

  /** An unfiltered placeholder (no git at build time) reads as unknown rather than as "${...}". */
  private static String clean(String value) {
    if (value == null || value.isBlank() || value.startsWith("${")) {
      return "unknown";
    }
    return value.trim();
  }

  /** The line {@code --version} prints. */
  public String versionLine() {
    return cliName + " " + version + " (commit " + commit + ")";
  }
}
