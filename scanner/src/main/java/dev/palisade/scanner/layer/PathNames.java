package dev.palisade.scanner.layer;

import java.util.ArrayDeque;
import java.util.Deque;

/** Normalises tar entry names, and says what is wrong with the ones no honest tool writes. */
public final class PathNames {

  private PathNames() {}

  /** Drops {@code ./} and leading slashes and resolves {@code ..} without ever going above the root. */
  public static String normalize(String name) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
        continue;
      }
      parts.addLast(part);
    }
    return String.join("/", parts);
  }

  /** A description of why a name is suspicious, or null when it is fine. */
  public static String problemWith(String name) {
    if (name.indexOf('\uFFFD') >= 0) {
      return "name is not valid UTF-8";
    }
    if (name.startsWith("/")) {
      return "absolute path";
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        return "path climbs with '..'";
      }
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "name contains control characters";
      }
    }
    return null;
  }

  /** Printable form of a name for reports: control characters escaped, length capped. */
  public static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && out.length() < 512; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
