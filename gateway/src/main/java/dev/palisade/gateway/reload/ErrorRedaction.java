package dev.palisade.gateway.reload;

import dev.palisade.gateway.secrets.Redactor;
import java.util.regex.Pattern;

/**
 * Makes a refused config's error safe to log and to return. The known provider keys are masked,
 * and so is every quoted value that looks like a credential: a config that failed validation may
 * carry keys the running gateway has never seen, and validation messages quote the bad value.
 */
final class ErrorRedaction {

  /** A quoted run of 16+ characters without spaces, as keys, tokens and encrypted values are. */
  private static final Pattern QUOTED_TOKEN = Pattern.compile("'[^'\\s]{16,}'");

  private ErrorRedaction() {}

  static String redact(String message, Redactor known) {
    String text = message == null ? "unknown error" : known.redact(message);
    return QUOTED_TOKEN.matcher(text).replaceAll("'" + Redactor.MASK + "'");
  }
}
