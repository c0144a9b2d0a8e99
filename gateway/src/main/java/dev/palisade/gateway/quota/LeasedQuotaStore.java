package dev.palisade.gateway.quota;

import dev.palisade.gateway.state.LuaScript;
import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.state.StateStoreUnavailableException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Quotas shared through Redis without a Redis round trip per request (issue 8: the reserve call
 * added ~1 ms to every request's time to first byte). Each replica leases quota from Redis in
 * blocks, per consumer and minute window (which fixes the day and month windows too): tokens,
 * counted against all three token windows, and requests, counted against requests_per_minute.
 * Requests then reserve and settle against the local block under the block's own lock, so
 * concurrent requests can never spend more than the block holds.
 *
 * <p><b>A block is a Redis reservation</b> (quota-lease.lua, the style of quota-reserve.lua): its
 * tokens are added to {@code reserved} of the three windows and recorded under a lease id with an
 * expiry, so a replica that dies without flushing has its block given back after the lease (by
 * the next reserve or lease of that consumer on any replica).
 *
 * <p><b>Block size adapts</b>: at most {@code max_tokens} and {@code max_requests}, and never more
 * than 1/{@value #SHARE} of what remains under the tightest limit, so one replica cannot take
 * what the others need near the limit. When such a block would hold fewer than {@value
 * #MIN_REQUESTS_PER_BLOCK} requests of the waiting request's size, nothing is leased and the
 * requests of that minute reserve per request exactly as {@link RedisQuotaStore} does, so
 * behaviour near a limit is precise. A request larger than a block reserves directly as well.
 *
 * <p><b>Refill ahead</b>: when a block falls under half its size a new one is leased in the
 * background (added to the same lease). Only a consumer's first request of a minute, or one
 * arriving when the block is spent, waits for Redis. Shortly (one flush interval) before a minute
 * ends, a consumer in use gets the next minute's block leased ahead.
 *
 * <p><b>Flush</b>: every flush interval (and when a block is retired: its minute is over, it
 * has been idle for {@value #IDLE_FLUSHES} intervals, or on {@link #close}) the tokens really
 * used are added to {@code used} and the same amount released from the lease
 * (quota-lease-flush.lua); a retired block gives back its unused tokens and requests, keeping
 * only what its requests still in flight reserved, and ends its lease when they have settled.
 *
 * <p><b>Overspend bound</b>: as with per-request reservations, usage can pass a limit only by
 * what the requests in flight use beyond their estimates (actual minus estimate, for requests
 * granted before the limit was reached and settled after). Leased but unused tokens are reserved
 * in Redis, so they are never spent twice; they can only make another replica refuse early: by
 * at most what the other replicas hold unused, each at most 1.5 blocks (a block under the low
 * water mark plus its refill), i.e. at most (replicas - 1) x 1.5 x min(max_tokens, remaining/8)
 * tokens (and likewise requests), and only until those blocks are flushed back (their minute
 * ends, or they idle {@value #IDLE_FLUSHES} flush intervals).
 *
 * <p><b>Redis down</b>: a replica keeps spending what it has already leased (at most the bound
 * above more than the other replicas see); once the block is spent it fails with {@link
 * StateStoreUnavailableException}, so {@link FailoverQuotaStore} then acts as today
 * (fail_closed: 503, fail_open: local limits). Usage not yet flushed is kept and flushed when
 * Redis is back, unless the lease has expired by then (Redis gave the block back; its usage is
 * added but no longer reserved).
 */
public final class LeasedQuotaStore implements QuotaStore, AutoCloseable {

  static final LuaScript LEASE = LuaScript.resource(
      "/dev/palisade/gateway/state/quota-common.lua", "/dev/palisade/gateway/state/quota-lease.lua");
  static final LuaScript FLUSH = LuaScript.resource(
      "/dev/palisade/gateway/state/quota-common.lua", "/dev/palisade/gateway/state/quota-lease-flush.lua");
  /** A block is at most this fraction (1/n) of what remains under the tightest limit. */
  static final int SHARE = 8;
  /** Smaller blocks than this many requests are not leased: per-request reservation instead. */
  static final int MIN_REQUESTS_PER_BLOCK = 4;
  /** A block not used for this many flush intervals is given back. */
  static final int IDLE_FLUSHES = 4;
  private static final String PREFIX = "lease:";

  /**
   * @param maxTokens largest block of tokens leased at once
   * @param maxRequests largest block of requests (requests_per_minute) leased at once
   * @param flushInterval how often local usage is written to Redis (at most a second, so other
   *     replicas and ops see usage that late at most)
   */
  public record Settings(long maxTokens, long maxRequests, Duration flushInterval) {
    public static final Settings DEFAULT = new Settings(1_000_000, 1_000, Duration.ofMillis(500));

    public Settings {
      if (maxTokens < 1 || maxRequests < 1) {
        throw new IllegalArgumentException("quota lease blocks must hold at least 1 token and 1 request");
      }
      if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("quota lease flush interval must be over 0 and at most 1s");
      }
    }
  }

  private final RedisQuotaStore direct;
  private final RedisLink redis;
  private final Clock clock;
  private final Duration lease;
  private final Settings settings;
  private final BooleanSupplier up;
  private final String replica = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();
  /** The block each consumer spends from now, by consumer and minute (and the next minute's). */
  private final Map<String, Block> current = new ConcurrentHashMap<>();
  /** Every block whose lease has not ended, by reservation id (retired ones included). */
  private final Map<String, Block> live = new ConcurrentHashMap<>();
  private final long timer;
  private volatile boolean closed;

  /**
   * @param up false while Redis is known to be down: a request the block cannot cover then fails
   *     at once instead of waiting for a timeout
   */
  public LeasedQuotaStore(RedisQuotaStore direct, RedisLink redis, Clock clock, Duration lease,
      Settings settings, BooleanSupplier up) {
    this.direct = direct;
    this.redis = redis;
    this.clock = clock;
    this.lease = lease;
    this.settings = settings;
    this.up = up;
    this.timer = redis.vertx().setPeriodic(settings.flushInterval().toMillis(), id -> tick());
  }

  @Override
  public Future<Decision> reserve(String consumer, Limits limits, long estimatedTokens) {
    if (closed || estimatedTokens > settings.maxTokens()) {
      return reserveDirectly(consumer, limits, estimatedTokens);
    }
    QuotaWindows w = QuotaWindows.at(clock.instant());
    while (true) {
      Block b = current.computeIfAbsent(key(consumer, w.minute()), k -> newBlock(consumer, w));
      Promise<Decision> waiting;
      synchronized (b) {
        if (b.retired) {
          continue; // retired between lookup and lock: the next lookup makes a fresh one
        }
        b.limits = limits;
        b.lastEstimate = Math.max(1, estimatedTokens);
        b.idleFlushes = 0;
        Reservation r = b.take(estimatedTokens);
        if (r != null) {
          if (b.belowLowWater() && !b.leasing && !b.fallback) {
            startLease(b);
          }
          return Future.succeededFuture(r);
        }
        if (b.fallback) {
          break;
        }
        if (!up.getAsBoolean()) {
          return Future.failedFuture(new StateStoreUnavailableException("the state store is unavailable"));
        }
        waiting = Promise.promise();
        b.waiters.add(new Waiter(estimatedTokens, limits, waiting, Vertx.currentContext()));
        if (!b.leasing) {
          startLease(b);
        }
      }
      return waiting.future();
    }
    return reserveDirectly(consumer, limits, estimatedTokens);
  }

  private Future<Decision> reserveDirectly(String consumer, Limits limits, long estimatedTokens) {
    if (!up.getAsBoolean()) {
      return Future.failedFuture(new StateStoreUnavailableException("the state store is unavailable"));
    }
    return direct.reserve(consumer, limits, estimatedTokens);
  }

  @Override
  public Future<Void> settle(Reservation r, long actualTokens) {
    if (!r.id().startsWith(PREFIX)) {
      return direct.settle(r, actualTokens);
    }
    Block b = live.get(r.id());
    if (b == null) {
      // The lease ended (store closed, or given up after an outage): add the usage alone.
      return redis.eval(FLUSH, direct.keys(r.consumer(), r.day(), r.month(), r.minute()),
          flushArgs(r.id().substring(PREFIX.length()), Math.max(0, actualTokens), 0, 0, true)).mapEmpty();
    }
    boolean finish;
    synchronized (b) {
      b.inflight -= r.tokens();
      b.pendingUsed += Math.max(0, actualTokens);
      finish = b.retired && b.inflight == 0;
    }
    if (finish) {
      flush(b);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Usage> usage(String consumer) {
    return direct.usage(consumer);
  }

  /** Writes every block's usage to Redis now (what the timer does every flush interval). */
  public Future<Void> flushAll() {
    List<Future<Void>> all = new ArrayList<>();
    for (Block b : live.values()) {
      all.add(flush(b));
    }
    return Future.join(all).mapEmpty();
  }

  /**
   * Retires every block and flushes it (graceful shutdown, after the drain): usage is written,
   * unused tokens and requests go back to Redis, leases end. Waits at most {@code timeout}.
   */
  public void close(Duration timeout) {
    closed = true;
    redis.vertx().cancelTimer(timer);
    for (Block b : current.values()) {
      synchronized (b) {
        retire(b);
      }
    }
    try {
      flushAll().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Redis is down or slow: the leases expire on their own and are given back then.
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  private void tick() {
    if (!up.getAsBoolean()) {
      return; // nothing can be leased or flushed; kept until Redis is back
    }
    Instant now = clock.instant();
    QuotaWindows w = QuotaWindows.at(now);
    boolean minuteEndsSoon = w.minuteEnd().toEpochMilli() - now.toEpochMilli()
        <= settings.flushInterval().toMillis();
    QuotaWindows next = QuotaWindows.at(w.minuteEnd());
    for (Block b : current.values()) {
      Limits prefetch = null;
      synchronized (b) {
        if (!b.windows.minuteEnd().isAfter(now) || ++b.idleFlushes > IDLE_FLUSHES) {
          retire(b);
        } else if (minuteEndsSoon && b.windows.minute().equals(w.minute()) && b.idleFlushes <= 1
            && !b.fallback) {
          prefetch = b.limits;
        }
      }
      if (prefetch != null && !closed) {
        Block n = current.computeIfAbsent(key(b.consumer, next.minute()), k -> newBlock(b.consumer, next));
        synchronized (n) {
          n.limits = prefetch;
          n.lastEstimate = b.lastEstimate;
          if (!n.retired && !n.leasing && n.held == 0 && !n.fallback) {
            startLease(n);
          }
        }
      }
    }
    for (Block b : live.values()) {
      synchronized (b) {
        // A retired block whose usage could not be flushed for a whole lease: Redis has given
        // it back by now, so only bounded memory is at stake; drop it.
        if (b.retired && now.isAfter(b.windows.minuteEnd().plus(lease))) {
          live.remove(b.id, b);
          continue;
        }
      }
      flush(b);
    }
  }

  private Block newBlock(String consumer, QuotaWindows w) {
    Block b = new Block(consumer, w, replica + ":" + sequence.incrementAndGet());
    live.put(b.id, b);
    return b;
  }

  /** Caller holds the block's lock. */
  private void retire(Block b) {
    b.retired = true;
    current.remove(key(b.consumer, b.windows.minute()), b);
  }

  /** Leases a block (or more for it) in the background. Caller holds the block's lock. */
  private void startLease(Block b) {
    b.leasing = true;
    long need = b.waiters.isEmpty() ? b.lastEstimate : Math.max(1, b.waiters.peek().tokens());
    Limits limits = b.limits;
    QuotaWindows w = b.windows;
    List<String> args = new ArrayList<>(List.of(
        Long.toString(clock.millis()),
        Long.toString(lease.toMillis()),
        b.leaseId,
        Long.toString(settings.maxTokens()),
        Long.toString(settings.maxRequests()),
        Long.toString(need)));
    args.addAll(RedisQuotaStore.limitsAndExpiries(limits, w));
    args.add(Integer.toString(SHARE));
    args.add(Integer.toString(MIN_REQUESTS_PER_BLOCK));
    redis.eval(LEASE, direct.keys(b.consumer, w.day(), w.month(), w.minute()), args)
        .onComplete(ar -> leased(b, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void leased(Block b, Response reply, Throwable failure) {
    List<Waiter> granted = new ArrayList<>();
    List<Reservation> grants = new ArrayList<>();
    List<Waiter> again = new ArrayList<>();
    boolean flushNow;
    synchronized (b) {
      b.leasing = false;
      if (reply != null && reply.get(0).toInteger() == 1) {
        b.everLeased = true;
        b.held += reply.get(1).toLong();
        b.requestsLeft += reply.get(2).toLong();
        b.block = Math.max(1, reply.get(1).toLong());
        b.requestBlock = Math.max(1, reply.get(2).toLong());
      } else if (reply != null) {
        b.fallback = true;
      }
      while (!b.waiters.isEmpty()) {
        Waiter w = b.waiters.peek();
        if (failure != null || b.fallback || b.retired) {
          again.add(b.waiters.poll());
          continue;
        }
        Reservation r = b.take(w.tokens());
        if (r == null) {
          break;
        }
        b.waiters.poll();
        granted.add(w);
        grants.add(r);
      }
      if (!b.waiters.isEmpty() && !b.retired && !b.fallback) {
        startLease(b); // the block ran out again before everyone got a share
      }
      flushNow = b.retired || b.fallback;
    }
    if (b.fallback && failure == null) {
      // Near the limit: give back what is left of this replica's block first, so the
      // per-request reservations that follow are not refused because of it.
      flush(b).onComplete(x -> answer(b, granted, grants, again, null));
      return;
    }
    answer(b, granted, grants, again, failure);
    if (flushNow) {
      flush(b);
    }
  }

  private void answer(Block b, List<Waiter> granted, List<Reservation> grants, List<Waiter> again,
      Throwable failure) {
    for (int i = 0; i < granted.size(); i++) {
      granted.get(i).deliver(Future.succeededFuture(grants.get(i)));
    }
    for (Waiter w : again) {
      if (failure != null) {
        w.deliver(Future.failedFuture(failure));
      } else {
        // Near the limit (or the block was retired meanwhile): reserve per request, or anew.
        reserve(b.consumer, w.limits(), w.tokens()).onComplete(w::deliver);
      }
    }
  }

  /** Flushes one block; flushes of one block run one after the other. */
  private Future<Void> flush(Block b) {
    synchronized (b) {
      b.chain = b.chain.transform(ignored -> flushNow(b));
      return b.chain;
    }
  }

  private Future<Void> flushNow(Block b) {
    long used;
    long release;
    long back;
    boolean end;
    synchronized (b) {
      if (b.ended) {
        return Future.succeededFuture();
      }
      used = b.pendingUsed;
      end = b.retired && b.inflight == 0 && !b.leasing;
      // Live: release what was used (the local balance stays the same). Retired: keep reserved
      // only what the requests still in flight hold.
      boolean givingBack = b.retired || b.fallback;
      release = end ? b.held : givingBack ? Math.max(0, b.held - Math.max(0, b.inflight)) : Math.min(b.held, used);
      back = givingBack ? b.requestsLeft : 0;
      if (used == 0 && release == 0 && back == 0 && !end) {
        return Future.succeededFuture();
      }
      if (end && b.held == 0 && used == 0 && back == 0 && !b.everLeased) {
        b.ended = true;
        live.remove(b.id, b);
        return Future.succeededFuture();
      }
    }
    QuotaWindows w = b.windows;
    return redis.eval(FLUSH, direct.keys(b.consumer, w.day(), w.month(), w.minute()),
            flushArgs(b.leaseId, used, release, back, end))
        .map(r -> {
          synchronized (b) {
            b.pendingUsed -= used;
            b.held -= release;
            b.requestsLeft -= back;
            if (end) {
              b.ended = true;
              live.remove(b.id, b);
            }
          }
          return (Void) null;
        })
        .otherwise((Void) null); // kept; the next tick tries again
  }

  private List<String> flushArgs(String leaseId, long used, long release, long back, boolean end) {
    return List.of(leaseId, Long.toString(used), Long.toString(release), Long.toString(back),
        end ? "1" : "0", Long.toString(clock.millis()), Long.toString(lease.toMillis()));
  }

  private static String key(String consumer, String minute) {
    return consumer + '\n' + minute;
  }

  /** A request waiting for a block; answered on its own context (its event loop), not Redis's. */
  private record Waiter(long tokens, Limits limits, Promise<Decision> promise, Context context) {
    void deliver(AsyncResult<Decision> result) {
      if (context == null || context == Vertx.currentContext()) {
        promise.handle(result);
      } else {
        context.runOnContext(v -> promise.handle(result));
      }
    }
  }

  /** One consumer's quota leased for one minute window; every field guarded by its lock. */
  private static final class Block {
    final String consumer;
    final QuotaWindows windows;
    final String leaseId;
    final String id;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    Limits limits = Limits.NONE;
    /** Tokens the lease holds in Redis's {@code reserved}. */
    long held;
    /** Requests leased and not yet granted. */
    long requestsLeft;
    /** Estimates of granted requests not yet settled. */
    long inflight;
    /** Tokens settled requests used, not yet flushed. */
    long pendingUsed;
    long block = 1;
    long requestBlock = 1;
    long lastEstimate = 1;
    int idleFlushes;
    boolean leasing;
    boolean everLeased;
    boolean fallback;
    boolean retired;
    boolean ended;
    Future<Void> chain = Future.succeededFuture();

    Block(String consumer, QuotaWindows windows, String leaseId) {
      this.consumer = consumer;
      this.windows = windows;
      this.leaseId = leaseId;
      this.id = PREFIX + leaseId;
    }

    /** Grants from the block, or null if it cannot cover the request. */
    Reservation take(long tokens) {
      if (fallback || requestsLeft < 1 || held - pendingUsed - inflight < tokens) {
        return null;
      }
      requestsLeft--;
      inflight += tokens;
      return new Reservation(consumer, tokens, windows.day(), windows.month(), windows.minute(), id);
    }

    boolean belowLowWater() {
      return held - pendingUsed - inflight < block / 2 || requestsLeft < requestBlock / 2;
    }
  }
}
