package dev.palisade.gateway.quota;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quotas for one gateway instance. Windows are calendar windows in UTC (day, month, minute).
 * Each consumer's counters are guarded by their own lock, so consumers do not contend.
 */
public final class InMemoryQuotaStore implements QuotaStore {

  private final Clock clock;
  private final ConcurrentHashMap<String, Counters> consumers = new ConcurrentHashMap<>();

  public InMemoryQuotaStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Decision> reserve(String consumer, Limits limits, long estimatedTokens) {
    Instant now = clock.instant();
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    String day = t.toLocalDate().toString();
    String month = day.substring(0, 7);
    String minute = t.truncatedTo(ChronoUnit.MINUTES).toString();
    Counters c = consumers.computeIfAbsent(consumer, k -> new Counters());
    synchronized (c) {
      Window d = c.window("d:" + day);
      Window mo = c.window("m:" + month);
      Window mi = c.window("i:" + minute);
      c.forget(day, month, minute);
      if (mi.requests + 1 > limits.requestsPerMinute()) {
        return Future.succeededFuture(new Denied("requests_per_minute", secondsToNextMinute(t)));
      }
      if (mi.total() + estimatedTokens > limits.tokensPerMinute()) {
        return Future.succeededFuture(new Denied("tokens_per_minute", secondsToNextMinute(t)));
      }
      if (d.total() + estimatedTokens > limits.tokensPerDay()) {
        return Future.succeededFuture(new Denied("tokens_per_day", secondsToNextDay(t)));
      }
      if (mo.total() + estimatedTokens > limits.tokensPerMonth()) {
        return Future.succeededFuture(new Denied("tokens_per_month", secondsToNextMonth(t)));
      }
      mi.requests++;
      d.reserved += estimatedTokens;
      mo.reserved += estimatedTokens;
      mi.reserved += estimatedTokens;
      return Future.succeededFuture(new Reservation(consumer, estimatedTokens, day, month, minute));
    }
  }

  @Override
  public Future<Void> settle(Reservation r, long actualTokens) {
    Counters c = consumers.computeIfAbsent(r.consumer(), k -> new Counters());
    synchronized (c) {
      // A window that has rolled over since the reservation was made is simply gone; the
      // usage then lands in the window the reservation was made in only if it still exists.
      for (String key : new String[] {"d:" + r.day(), "m:" + r.month(), "i:" + r.minute()}) {
        Window w = c.windows.get(key);
        if (w != null) {
          w.reserved -= r.tokens();
          w.used += actualTokens;
        }
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Usage> usage(String consumer) {
    Instant now = clock.instant();
    String day = now.atZone(ZoneOffset.UTC).toLocalDate().toString();
    Counters c = consumers.computeIfAbsent(consumer, k -> new Counters());
    synchronized (c) {
      Window d = c.windows.getOrDefault("d:" + day, new Window());
      Window m = c.windows.getOrDefault("m:" + day.substring(0, 7), new Window());
      return Future.succeededFuture(new Usage(d.used, d.reserved, m.used));
    }
  }

  private static long secondsToNextMinute(ZonedDateTime t) {
    return Math.max(1, 60 - t.getSecond());
  }

  private static long secondsToNextDay(ZonedDateTime t) {
    LocalDate next = t.toLocalDate().plusDays(1);
    return Math.max(1, ChronoUnit.SECONDS.between(t, next.atStartOfDay(ZoneOffset.UTC)));
  }

  private static long secondsToNextMonth(ZonedDateTime t) {
    LocalDate next = t.toLocalDate().withDayOfMonth(1).plusMonths(1);
    return Math.max(1, ChronoUnit.SECONDS.between(t, next.atStartOfDay(ZoneOffset.UTC)));
  }

  private static final class Window {
    long used;
    long reserved;
    long requests;

    long total() {
      return used + reserved;
    }
  }

  private static final class Counters {
    final Map<String, Window> windows = new HashMap<>();

    Window window(String key) {
      return windows.computeIfAbsent(key, k -> new Window());
    }

    /** Drops windows that are over, so memory stays bounded. */
    void forget(String day, String month, String minute) {
      if (windows.size() > 3) {
        windows.keySet().removeIf(k ->
            !(k.equals("d:" + day) || k.equals("m:" + month) || k.equals("i:" + minute)));
      }
    }
  }
}
