package dev.palisade.gateway.quota;

import dev.palisade.gateway.state.LuaScript;
import dev.palisade.gateway.state.RedisLink;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Quotas shared by every replica, in Redis. Reserve and settle are Lua scripts (atomic on the
 * server), so the check and the debit can never be split by another replica's request.
 *
 * <p>Keys (all under the configured prefix, {@code {consumer}} is a Redis Cluster hash tag so a
 * consumer's keys stay in one slot):
 * <ul>
 *   <li>{@code quota:{c}:day:2026-11-22}, {@code quota:{c}:month:2026-11},
 *       {@code quota:{c}:minute:2026-11-22T07:15Z}: hashes {@code used}, {@code reserved}
 *       (and {@code requests} for the minute), expiring a day (a minute) after their window;</li>
 *   <li>{@code quota:{c}:leases} (hash id to tokens and windows) and
 *       {@code quota:{c}:lease-expiry} (sorted set id to expiry): reservations not yet settled.
 *       One whose replica died before settling expires after the lease and is given back by the
 *       next reservation of that consumer, so it cannot hold quota forever.</li>
 * </ul>
 */
public final class RedisQuotaStore implements QuotaStore {

  static final LuaScript RESERVE = LuaScript.resource(
      "/dev/palisade/gateway/state/quota-common.lua", "/dev/palisade/gateway/state/quota-reserve.lua");
  static final LuaScript SETTLE = LuaScript.resource(
      "/dev/palisade/gateway/state/quota-common.lua", "/dev/palisade/gateway/state/quota-settle.lua");

  private final RedisLink redis;
  private final String prefix;
  private final Clock clock;
  private final Duration lease;
  private final String replica = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();

  public RedisQuotaStore(RedisLink redis, String prefix, Clock clock, Duration lease) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
    this.lease = lease;
  }

  @Override
  public Future<Decision> reserve(String consumer, Limits limits, long estimatedTokens) {
    QuotaWindows w = QuotaWindows.at(clock.instant());
    String id = replica + ":" + sequence.incrementAndGet();
    List<String> keys = keys(consumer, w.day(), w.month(), w.minute());
    List<String> args = new ArrayList<>(List.of(
        Long.toString(w.now().toEpochMilli()),
        Long.toString(lease.toMillis()),
        id,
        Long.toString(estimatedTokens)));
    args.addAll(limitsAndExpiries(limits, w));
    return redis.eval(RESERVE, keys, args).map(r -> {
      if (r.get(0).toInteger() == 1) {
        return new Reservation(consumer, estimatedTokens, w.day(), w.month(), w.minute(), id);
      }
      String limit = r.get(1).toString();
      return new Denied(limit, w.retryAfterSeconds(limit));
    });
  }

  @Override
  public Future<Void> settle(Reservation r, long actualTokens) {
    return redis.eval(SETTLE, keys(r.consumer(), r.day(), r.month(), r.minute()),
            List.of(r.id(), Long.toString(Math.max(0, actualTokens))))
        .mapEmpty();
  }

  @Override
  public Future<Usage> usage(String consumer) {
    QuotaWindows w = QuotaWindows.at(clock.instant());
    List<String> keys = keys(consumer, w.day(), w.month(), w.minute());
    Future<Response> day = redis.send(Request.cmd(Command.HMGET).arg(keys.get(0)).arg("used").arg("reserved"));
    Future<Response> month = redis.send(Request.cmd(Command.HGET).arg(keys.get(1)).arg("used"));
    return Future.all(day, month).map(v -> new Usage(
        number(day.result().get(0)), number(day.result().get(1)), number(month.result())));
  }

  /** The Redis keys of a consumer's windows and leases (see the class comment). */
  List<String> keys(String consumer, String day, String month, String minute) {
    String base = prefix + "quota:{" + consumer + "}:";
    return List.of(base + "day:" + day, base + "month:" + month, base + "minute:" + minute,
        base + "lease-expiry", base + "leases");
  }

  /**
   * The script arguments both quota-reserve.lua and quota-lease.lua take in this order: tokens/day,
   * tokens/month, requests/minute, tokens/minute (-1: no limit), then when the day, month and
   * minute counters expire. Day and month counters stay a day past their window (ops can still
   * read yesterday); minute counters a minute.
   */
  static List<String> limitsAndExpiries(Limits limits, QuotaWindows w) {
    return List.of(
        limit(limits.tokensPerDay()),
        limit(limits.tokensPerMonth()),
        limit(limits.requestsPerMinute()),
        limit(limits.tokensPerMinute()),
        Long.toString(w.dayEnd().toEpochMilli() + Duration.ofDays(1).toMillis()),
        Long.toString(w.monthEnd().toEpochMilli() + Duration.ofDays(1).toMillis()),
        Long.toString(w.minuteEnd().toEpochMilli() + Duration.ofMinutes(1).toMillis()));
  }

  private static String limit(long value) {
    return value == Limits.UNLIMITED ? "-1" : Long.toString(value);
  }

  private static long number(Response r) {
    return r == null ? 0 : r.toLong();
  }
}
