package dev.palisade.signing.keys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where key passwords come from: an environment variable or the first line of standard input.
 * Never argv, which every user of the machine can read through {@code ps}.
 */
public final class Passwords {

  /** The variable the CLIs read by default (cosign uses the same name). */
  public static final String DEFAULT_VARIABLE = "COSIGN_PASSWORD";

  private Passwords() {}

  public static char[] fromEnvironment(Map<String, String> environment, String variable) throws KeyException {
    String value = environment.get(variable);
    if (value == null || value.isEmpty()) {
      throw new KeyException("no key password: set " + variable + " or pass it on standard input");
    }
    return value.toCharArray();
  }

  public static char[] fromStream(InputStream in) throws KeyException {
    try {
      String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new KeyException("no key password on standard input");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new KeyException("cannot read the key password from standard input");
    }
  }
}
