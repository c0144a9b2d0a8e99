package dev.palisade.gateway.quota;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The calendar windows (UTC) an instant falls in, with their names and ends: what a shared store
 * needs to key its counters and to let them expire on their own.
 */
record QuotaWindows(Instant now, String day, String month, String minute,
    Instant dayEnd, Instant monthEnd, Instant minuteEnd) {

  static QuotaWindows at(Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    LocalDate date = t.toLocalDate();
    String day = date.toString();
    return new QuotaWindows(
        now, day, day.substring(0, 7), t.truncatedTo(ChronoUnit.MINUTES).toString(),
        date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        date.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
        t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1).toInstant());
  }

  /** Seconds until the window that {@code limit} belongs to starts over (at least 1). */
  long retryAfterSeconds(String limit) {
    Instant end = limit.endsWith("_minute") ? minuteEnd : limit.endsWith("_day") ? dayEnd : monthEnd;
    return Math.max(1, (long) Math.ceil((end.toEpochMilli() - now.toEpochMilli()) / 1000.0));
  }
}
