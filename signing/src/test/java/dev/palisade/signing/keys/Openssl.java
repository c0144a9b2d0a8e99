package dev.palisade.signing.keys;

import java.nio.file.Files;
import java.nio.file.Path;

/** The openssl CLI, an independent implementation our keys and signatures are checked against. */
public final class Openssl {
  private Openssl() {}

  /** Fails (never skips) with the package to install when openssl is missing. */
  public static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "openssl"))) {
        return Path.of(dir, "openssl").toString();
      }
    }
    throw new IllegalStateException("the openssl binary is missing: apt-get install -y openssl");
  }
}
