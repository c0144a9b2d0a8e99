package dev.palisade.gateway.server;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a {@code Retry-After} header: delay-seconds or an HTTP date, capped at one hour. */
final class RetryAfter {

  static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /** The delay, or null when the header is absent or unreadable. */
  static Duration parse(String header, java.time.Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.strip();
    Duration d;
    try {
      d = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      try {
        d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
