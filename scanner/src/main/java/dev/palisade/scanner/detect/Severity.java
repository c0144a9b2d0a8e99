package dev.palisade.scanner.detect;

import java.util.Locale;

/** How bad a detection is; ordered from least to most severe. */
public enum Severity {
  INFO,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** Parses {@code high}, {@code HIGH}, ...; null when the name is not a severity. */
  public static Severity parse(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }
}
