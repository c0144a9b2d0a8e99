package dev.palisade.gateway.keypool;

import dev.palisade.gateway.state.LuaScript;
import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.state.RedisSubscription;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Key health shared by every replica through Redis, read from a local mirror.
 *
 * <p>The request path reads only the mirror (no Redis call per request). A change is applied to
 * the mirror at once, then written to Redis and published on a channel; the other replicas apply
 * it from the channel. Because a message can be missed (a reconnect, a slow subscriber), every
 * replica also re-reads all the keys it knows every {@code resyncInterval}, and at once after
 * Redis comes back. Replicas write whole states, so the last writer wins.
 *
 * <p>Redis key {@code keystate:PROVIDER:KEY_ID} (under the prefix) holds
 * {@link KeyStateCodec}'s text; it expires on its own an hour after the cooldown or block ends
 * (the consecutive-failure count it carries is forgotten then); a block that only a probe can
 * lift has no expiry. A healthy key has no record. Channel: {@code keystate-events}.
 *
 * <p>While Redis is down the mirror keeps serving and changes are kept as pending; when Redis is
 * back they are written, then every non-healthy state the mirror holds is written only where
 * Redis has none ({@code SET NX}: a Redis that restarted empty gets the blocks back, a newer
 * state in Redis is kept), then the mirror re-reads everything. Starting a replica writes
 * nothing, so a restart never resets a blocked key.
 */
public final class RedisKeyStateStore implements KeyStateStore, AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.state");
  static final LuaScript WRITE = LuaScript.resource("/dev/palisade/gateway/state/key-state-write.lua");
  static final Duration RETAIN = Duration.ofHours(1);

  private record Entry(KeyState state, long version) {}

  private final RedisLink redis;
  private final String prefix;
  private final String channel;
  private final Clock clock;
  private final String replica = UUID.randomUUID().toString();
  private final AtomicLong versions = new AtomicLong();
  private final ConcurrentHashMap<String, Entry> mirror = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, KeyState> pending = new ConcurrentHashMap<>();
  private final RedisSubscription events;

  public RedisKeyStateStore(RedisLink redis, String prefix, Clock clock, Duration resyncInterval) {
    this.redis = redis;
    this.prefix = prefix;
    this.channel = prefix + "keystate-events";
    this.clock = clock;
    this.events = new RedisSubscription(redis, channel, this::onMessage, this::resync, resyncInterval);
    redis.onHealthChange(up -> {
      if (up) {
        redis.runOnContext(v -> recover());
      }
    });
    redis.runOnContext(v -> resync());
  }

  @Override
  public KeyState get(String provider, String keyId) {
    // computeIfAbsent registers the key, so the periodic resync covers it from now on.
    return mirror.computeIfAbsent(name(provider, keyId), k -> new Entry(KeyState.HEALTHY, 0)).state();
  }

  @Override
  public Transition update(String provider, String keyId, UnaryOperator<KeyState> change) {
    String name = name(provider, keyId);
    KeyState[] before = new KeyState[1];
    Entry after = mirror.compute(name, (k, old) -> {
      before[0] = old == null ? KeyState.HEALTHY : old.state();
      return new Entry(change.apply(before[0]), versions.incrementAndGet());
    });
    if (!after.state().equals(before[0])) {
      write(name, after.state());
    }
    return new Transition(before[0], after.state());
  }

  /** The number of changes waiting for Redis to come back (for tests and logs). */
  public int pendingWrites() {
    return pending.size();
  }

  /** Re-reads every known key from Redis now; completes when the mirror is updated. */
  public Future<Void> resync() {
    List<String> names = new ArrayList<>(mirror.keySet());
    if (names.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, Long> seen = new java.util.HashMap<>();
    Request mget = Request.cmd(Command.MGET);
    for (String n : names) {
      Entry e = mirror.get(n);
      seen.put(n, e == null ? 0 : e.version());
      mget.arg(redisKey(n));
    }
    return redis.send(mget).map(values -> {
      for (int i = 0; i < names.size(); i++) {
        Response v = values.get(i);
        KeyState state = v == null ? KeyState.HEALTHY
            : KeyStateCodec.decode(v.toString()).orElse(KeyState.HEALTHY);
        long version = seen.get(names.get(i));
        // A local change made after the read was sent is newer than what Redis answered.
        mirror.computeIfPresent(names.get(i), (k, e) -> e.version() == version ? new Entry(state, version) : e);
      }
      return (Void) null;
    }).onFailure(e -> { });
  }

  private void write(String name, KeyState state) {
    pending.put(name, state);
    send(name, state).onSuccess(v -> pending.remove(name, state)).onFailure(e -> { });
  }

  private Future<Response> send(String name, KeyState state) {
    boolean clean = KeyStateCodec.isClean(state);
    String encoded = clean ? "" : KeyStateCodec.encode(state);
    return redis.eval(WRITE, List.of(redisKey(name)),
        List.of(encoded, Long.toString(clean ? 0 : expireAt(state)), channel,
            replica + "\n" + name + "\n" + encoded));
  }

  private long expireAt(KeyState s) {
    if (s.until().equals(Instant.MAX)) {
      return 0;
    }
    Instant base = s.status() == KeyStatus.AVAILABLE || s.until().equals(Instant.MIN)
        ? clock.instant() : s.until();
    return base.plus(RETAIN).toEpochMilli();
  }

  /** After Redis was down: push what changed meanwhile, restore what Redis lost, re-read all. */
  private void recover() {
    List<Future<?>> writes = new ArrayList<>();
    for (Map.Entry<String, KeyState> p : pending.entrySet()) {
      writes.add(send(p.getKey(), p.getValue()).onSuccess(v -> pending.remove(p.getKey(), p.getValue())));
    }
    Instant now = clock.instant();
    for (Map.Entry<String, Entry> e : mirror.entrySet()) {
      KeyState s = e.getValue().state();
      if (!pending.containsKey(e.getKey()) && s.effectiveStatus(now) != KeyStatus.AVAILABLE) {
        long at = expireAt(s);
        Request set = Request.cmd(Command.SET).arg(redisKey(e.getKey())).arg(KeyStateCodec.encode(s)).arg("NX");
        if (at > 0) {
          set.arg("PXAT").arg(at);
        }
        writes.add(redis.send(set));
      }
    }
    Future.join(writes).onComplete(ar -> {
      LOG.info(() -> "key state: resynchronising with " + redis.where());
      events.ensure();
      resync();
    });
  }

  private void onMessage(String payload) {
    // replica \n name \n encoded state ('' for healthy); our own changes are in the mirror already
    String[] parts = payload.split("\n", 3);
    if (parts.length != 3 || parts[0].equals(replica)) {
      return;
    }
    KeyState state = parts[2].isEmpty() ? KeyState.HEALTHY
        : KeyStateCodec.decode(parts[2]).orElse(KeyState.HEALTHY);
    mirror.compute(parts[1], (k, old) -> new Entry(state, versions.incrementAndGet()));
  }

  private String redisKey(String name) {
    int slash = name.indexOf('/');
    return prefix + "keystate:" + name.substring(0, slash) + ":" + name.substring(slash + 1);
  }

  private static String name(String provider, String keyId) {
    return provider + "/" + keyId;
  }

  @Override
  public void close() {
    events.close();
  }
}
