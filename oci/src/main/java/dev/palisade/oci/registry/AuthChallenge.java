package dev.palisade.oci.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge from a {@code WWW-Authenticate} header (RFC 7235), e.g. {@code Bearer
 * realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"}.
 *
 * @param scheme lowercase: {@code bearer} or {@code basic} (others are parsed but not answered)
 * @param parameters lowercase names to unquoted values
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

  public AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    parameters = Map.copyOf(parameters);
  }

  public String parameter(String name) {
    return parameters.get(name);
  }

  /** Parses every challenge in a header value; malformed input gives a ProtocolException. */
  public static List<AuthChallenge> parseAll(String header) throws RegistryProtocolException {
    List<AuthChallenge> challenges = new ArrayList<>();
    if (header == null) {
      return challenges;
    }
    Cursor cursor = new Cursor(header);
    while (cursor.skipSeparators()) {
      String scheme = cursor.token();
      if (scheme.isEmpty()) {
        throw new RegistryProtocolException("malformed WWW-Authenticate header: expected a scheme");
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      while (true) {
        int mark = cursor.position;
        cursor.skipSpaces();
        String name = cursor.token();
        cursor.skipSpaces();
        if (name.isEmpty() || !cursor.consume('=')) {
          // Not a parameter: the start of the next challenge (or the end).
          cursor.position = mark;
          break;
        }
        cursor.skipSpaces();
        parameters.put(name.toLowerCase(Locale.ROOT), cursor.peek() == '"' ? cursor.quoted() : cursor.token());
        cursor.skipSpaces();
        if (!cursor.consume(',')) {
          break;
        }
      }
      challenges.add(new AuthChallenge(scheme, parameters));
    }
    return challenges;
  }

  private static final class Cursor {
    private final String text;
    private int position;

    Cursor(String text) {
      this.text = text;
    }

    boolean skipSeparators() {
      while (position < text.length() && (text.charAt(position) == ',' || Character.isWhitespace(text.charAt(position)))) {
        position++;
      }
      return position < text.length();
    }

    void skipSpaces() {
      while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
        position++;
      }
    }

    char peek() {
      return position < text.length() ? text.charAt(position) : 0;
    }

    boolean consume(char c) {
      if (peek() == c) {
        position++;
        return true;
      }
      return false;
    }

    String token() {
      int start = position;
      while (position < text.length()) {
        char c = text.charAt(position);
        if (Character.isWhitespace(c) || c == ',' || c == '=' || c == '"') {
          break;
        }
        position++;
      }
      return text.substring(start, position);
    }

    String quoted() throws RegistryProtocolException {
      position++; // opening quote
      StringBuilder value = new StringBuilder();
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && position < text.length()) {
          c = text.charAt(position++);
        }
        value.append(c);
      }
      throw new RegistryProtocolException("malformed WWW-Authenticate header: unterminated quoted string");
    }
  }
}
