package dev.palisade.oci.redact;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strips secrets out of text that may reach a log, an error message or a report: user info in
 * URLs, query parameters that carry tokens or signatures, and Authorization header values.
 */
public final class Redactor {

  public static final String MASK = "<redacted>";

  private static final Set<String> SECRET_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key");
  private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]+@");
  private static final Pattern SECRET_QUERY =
      Pattern.compile(
          "(?i)([?&](?:access_token|token|key|api[_-]?key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|password|secret|code)=)[^&#\\s]*");
  private static final Pattern BEARER_OR_BASIC =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");

  private Redactor() {}

  /** A URI fit to print: no user info, no secret-looking query values. */
  public static String uri(URI uri) {
    return uri == null ? "" : text(uri.toString());
  }

  /** A header value fit to print. */
  public static String header(String name, String value) {
    return name != null && SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? MASK : text(value);
  }

  /** Any free text (error bodies, messages): URLs with user info, secret query values, auth schemes. */
  public static String text(String value) {
    if (value == null) {
      return "";
    }
    String out = URL_USERINFO.matcher(value).replaceAll("$1" + MASK + "@");
    out = SECRET_QUERY.matcher(out).replaceAll("$1" + MASK);
    return BEARER_OR_BASIC.matcher(out).replaceAll("$1 " + MASK);
  }
}
