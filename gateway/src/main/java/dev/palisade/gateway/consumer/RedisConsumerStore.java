package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.consumer.ConsumerStoreException.Reason;
import dev.palisade.gateway.consumer.StoredConsumer.Origin;
import dev.palisade.gateway.state.LuaScript;
import dev.palisade.gateway.state.RedisLink;
import dev.palisade.gateway.state.RedisSubscription;
import dev.palisade.gateway.state.StateStoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Consumers shared by every replica through Redis, read from a local view.
 *
 * <p><b>Who lives where.</b> Only admin-made consumers ({@link Origin#ADMIN}) are in Redis.
 * Config-file consumers stay in each replica's own view, exactly as its file declares them:
 * {@link #seed} never writes to Redis, so replicas running the same file cannot fight over them
 * (and replicas in the middle of a rolling config change do not overwrite each other). The view
 * a request sees is the config consumers plus the admin ones; on a clash the config wins (an
 * admin consumer with a config consumer's name is hidden on that replica, a key hash a config
 * consumer holds authenticates as the config consumer) and a warning is logged. Clashes are
 * refused where they can be seen: {@link #create}/{@link #update} refuse names and key hashes
 * this replica's config holds, the write script refuses names and key hashes other admin
 * consumers hold, and {@link #seedConflicts} refuses a config whose consumers clash with the
 * admin consumers this replica knows.
 *
 * <p><b>Redis layout</b> (under the prefix; {@code {consumers}} is a Redis Cluster hash tag so
 * one script can touch them all): {@code {consumers}:consumer:NAME} a hash of {@code version},
 * {@code data} ({@link StoredConsumerJson}: key ids and SHA-256 hashes, never a key) and
 * {@code keys} (the hashes, for the index); {@code {consumers}:key-index} a hash from key
 * SHA-256 to consumer name; {@code {consumers}:names} the set of names; {@code
 * {consumers}:version} a counter that numbers every write; {@code {consumers}:epoch} a random
 * id the first write sets. Nothing expires.
 *
 * <p><b>Writes</b> go to Redis first, as one script that checks the version the writer read (no
 * lost update between replicas: {@link #update} re-reads and re-applies its change when another
 * write came first), checks the key-hash index, writes and publishes on {@code
 * consumer-events}. The writing replica applies the change to its view when Redis confirms it;
 * the others apply it from the channel, and every replica re-reads all admin consumers every
 * {@code resyncInterval} and when Redis comes back (a missed message, a reconnect). Versions
 * only grow, so an older message never undoes a newer state. A change made by one replica thus
 * reaches every replica that can reach Redis at once, and within {@code resyncInterval} at the
 * latest. Listeners fire for every change of the view, whoever made it.
 *
 * <p><b>Redis unavailable.</b> Reads keep serving the view (the last known consumers and keys);
 * writes fail at once with {@link Reason#UNAVAILABLE} (the admin API answers 503), whatever
 * {@code on_unavailable} says: a change only one replica could see would be a split brain, and
 * a revoke that only half the replicas apply is worse than one refused. When Redis answers again
 * the view is re-read. A Redis that lost its data (restarted without persistence, flushed) is
 * noticed by its epoch (a random id the first write sets) changing; each replica then writes back the admin consumers it
 * still knows (create-if-absent, so the first replica wins), so only admin changes made in the
 * instant before the loss can be lost. Remove admin consumers through the admin API, not by
 * deleting Redis keys.
 */
public final class RedisConsumerStore implements ConsumerStore, AutoCloseable {

  private static final Logger LOG = Logger.getLogger("dev.palisade.gateway.consumer");
  static final LuaScript WRITE = LuaScript.resource("/dev/palisade/gateway/state/consumer-write.lua");
  static final LuaScript READ_ALL = LuaScript.resource("/dev/palisade/gateway/state/consumer-read-all.lua");
  /** How often {@link #update} re-reads and re-applies after losing a race before it gives up. */
  static final int MAX_ATTEMPTS = 32;

  /**
   * When Redis wrote a state: versions count within an epoch; a state from another epoch than
   * the one held is taken as newer (Redis lost its data and started again).
   */
  private record Stamp(String epoch, long version) {
    boolean newerThan(Stamp other) {
      return other == null || !epoch.equals(other.epoch) || version > other.version;
    }
  }

  private record Versioned(StoredConsumer consumer, Stamp stamp) {}

  /** What the write script did: WRITTEN at {@code version}, or why not. */
  private record Outcome(Result result, Stamp stamp, String keySha256) {
    enum Result { WRITTEN, STALE, MISSING, TAKEN }
  }

  private final RedisLink redis;
  private final String base;
  private final String channel;
  private final String replica = UUID.randomUUID().toString();
  private final List<Consumer<ConsumerChange>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Guarded by lock.
  private Map<String, StoredConsumer> config = Map.of();
  private final Map<String, Versioned> admin = new HashMap<>();
  /** Versions of deletions, so that a late message cannot bring a consumer back. */
  private final Map<String, Stamp> deleted = new HashMap<>();
  /** The write counter of the last resync (nothing to re-read while Redis still has it). */
  private long lastCounter = -1;
  /** The epoch of the last resync (with the counter: nothing to re-read while both are the same). */
  private String lastEpoch = "";
  private Set<String> shadowed = Set.of();
  private volatile ConsumerView view = ConsumerView.EMPTY;
  private final RedisSubscription events;

  public RedisConsumerStore(RedisLink redis, String prefix, Duration resyncInterval) {
    this.redis = redis;
    this.base = prefix + "{consumers}:";
    this.channel = prefix + "consumer-events";
    this.events = new RedisSubscription(redis, channel, this::onMessage, this::resync, resyncInterval);
    redis.onHealthChange(up -> {
      if (up) {
        redis.runOnContext(v -> {
          events.ensure();
          resync();
        });
      }
    });
  }

  // ------------------------------------------------------------------ reads (local view)

  @Override
  public Optional<ConsumerConfig> byKeyHash(String keySha256) {
    return view.byKeyHash(keySha256);
  }

  @Override
  public Optional<StoredConsumer> get(String name) {
    return view.get(name);
  }

  @Override
  public List<StoredConsumer> list() {
    return view.list();
  }

  // ------------------------------------------------------------------ writes (Redis first)

  @Override
  public Future<StoredConsumer> create(StoredConsumer consumer) {
    if (consumer.origin() != Origin.ADMIN) {
      return Future.failedFuture(new ConsumerStoreException(Reason.READ_ONLY,
          "config consumers come from the config file, not from create"));
    }
    Optional<String> clash = configClash(consumer);
    if (clash.isPresent()) {
      return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, clash.get()));
    }
    return write(consumer.name(), "0", consumer).compose(outcome -> switch (outcome.result()) {
      case WRITTEN -> {
        fire(applyAdmin(consumer.name(), outcome.stamp(), Optional.of(consumer)));
        yield Future.succeededFuture(consumer);
      }
      case STALE, MISSING -> Future.failedFuture(ConsumerRules.alreadyExists(consumer.name()));
      case TAKEN -> Future.failedFuture(takenBy(consumer, outcome));
    });
  }

  @Override
  public Future<StoredConsumer> update(String name, UnaryOperator<StoredConsumer> change) {
    return update(name, change, 1);
  }

  private Future<StoredConsumer> update(String name, UnaryOperator<StoredConsumer> change, int attempt) {
    if (configOwns(name)) {
      return Future.failedFuture(ConsumerRules.readOnly(name));
    }
    // Read the current state from Redis, not the view: the view may lag a write made elsewhere.
    return fetch(name).compose(current -> {
      if (current.isEmpty()) {
        return Future.failedFuture(ConsumerRules.notFound(name));
      }
      Future<StoredConsumer> changed = ConsumerRules.changed(name, current.get().consumer(), change);
      if (changed.failed()) {
        return changed;
      }
      StoredConsumer after = changed.result();
      Optional<String> clash = configClash(after);
      if (clash.isPresent()) {
        return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, clash.get()));
      }
      return write(name, Long.toString(current.get().stamp().version()), after).compose(outcome -> switch (outcome.result()) {
        case WRITTEN -> {
          fire(applyAdmin(name, outcome.stamp(), Optional.of(after)));
          yield Future.succeededFuture(after);
        }
        case STALE -> attempt < MAX_ATTEMPTS
            ? backoff(attempt).compose(v -> update(name, change, attempt + 1))
            : Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT,
                "consumer '" + name + "' kept changing under " + MAX_ATTEMPTS + " attempts to update it; try again"));
        case TAKEN -> Future.failedFuture(takenBy(after, outcome));
        case MISSING -> Future.failedFuture(ConsumerRules.notFound(name));
      });
    });
  }

  /** A short random pause before retrying, so that writers who lost a race do not collide again. */
  private Future<Void> backoff(int attempt) {
    long ms = 1 + java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.min(100, 2L << Math.min(attempt, 6)));
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    // On the caller's event loop when there is one, so the result comes back where it was asked.
    io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
    (caller != null ? caller.owner() : redis.vertx()).setTimer(ms, id -> done.complete());
    return done.future();
  }

  @Override
  public Future<Void> delete(String name) {
    if (configOwns(name)) {
      return Future.failedFuture(ConsumerRules.readOnly(name));
    }
    return write(name, "*", null).compose(outcome -> {
      if (outcome.result() != Outcome.Result.WRITTEN) {
        return Future.<Void>failedFuture(ConsumerRules.notFound(name)); // '*' is never stale; a delete takes no key
      }
      fire(applyAdmin(name, outcome.stamp(), Optional.empty()));
      return Future.<Void>succeededFuture();
    });
  }

  // ------------------------------------------------------------------ config consumers (local)

  @Override
  public List<String> seedConflicts(List<ConsumerConfig> fromConfig) {
    synchronized (lock) {
      return conflicts(fromConfig);
    }
  }

  @Override
  public Future<Void> seed(List<ConsumerConfig> fromConfig) {
    List<ConsumerChange> changes;
    synchronized (lock) {
      List<String> conflicts = conflicts(fromConfig);
      if (!conflicts.isEmpty()) {
        return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, String.join("; ", conflicts)));
      }
      Map<String, StoredConsumer> next = new HashMap<>();
      fromConfig.forEach(c -> next.put(c.name(), StoredConsumer.fromConfig(c)));
      config = Map.copyOf(next);
      changes = rebuild();
    }
    fire(changes);
    return Future.succeededFuture();
  }

  @Override
  public void addListener(Consumer<ConsumerChange> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  // ------------------------------------------------------------------ keeping the view current

  /**
   * Re-reads every admin consumer from Redis (one script, so one consistent instant) and makes
   * the view match it; completes when done. Skipped when nothing was written since the last one.
   */
  public Future<Void> resync() {
    return redis.send(Request.cmd(Command.MGET).arg(base + "version").arg(base + "epoch")).compose(now -> {
      long counter = now.get(0) == null ? 0 : now.get(0).toLong();
      String epoch = now.get(1) == null ? "" : now.get(1).toString();
      synchronized (lock) {
        if (counter == lastCounter && epoch.equals(lastEpoch)) {
          return Future.<Void>succeededFuture();
        }
      }
      return redis.eval(READ_ALL, List.of(base + "names", base + "version", base + "epoch"),
              List.of(base + "consumer:"))
          .map(all -> {
            long at = all.get(0).toLong();
            String atEpoch = all.get(1).toString();
            Map<String, Versioned> found = new HashMap<>();
            for (int i = 2; i + 2 < all.size(); i += 3) {
              String name = all.get(i).toString();
              long version = all.get(i + 1).toLong();
              decoded(name, all.get(i + 2).toString()).ifPresent(c -> found.put(name, new Versioned(c, new Stamp(atEpoch, version))));
            }
            List<ConsumerChange> changes;
            List<StoredConsumer> lost = new ArrayList<>();
            synchronized (lock) {
              changes = applySnapshot(at, atEpoch, found, lost);
            }
            fire(changes);
            restore(lost);
            return (Void) null;
          });
    });
  }

  /**
   * Makes the admin part of the view match a snapshot of Redis at counter {@code at}; call with
   * the lock held. If Redis went back in time, the consumers it lost are added to {@code lost}.
   */
  private List<ConsumerChange> applySnapshot(
      long at, String epoch, Map<String, Versioned> found, List<StoredConsumer> lost) {
    // Deletions from before the previous resync cannot still be on their way as messages.
    long before = epoch.equals(lastEpoch) ? lastCounter : Long.MAX_VALUE;
    deleted.values().removeIf(d -> !d.epoch().equals(epoch) || d.version() <= before);
    for (Map.Entry<String, Versioned> e : found.entrySet()) {
      if (e.getValue().stamp().newerThan(current(e.getKey()))) {
        admin.put(e.getKey(), e.getValue());
        deleted.remove(e.getKey());
      }
    }
    for (String name : List.copyOf(admin.keySet())) {
      Versioned v = admin.get(name);
      if (found.containsKey(name)) {
        continue;
      }
      if (!v.stamp().epoch().equals(epoch)) {
        // Written to a Redis that has since lost its data (restarted without persistence,
        // flushed): keep serving it and write it back.
        lost.add(v.consumer());
      } else if (v.stamp().version() <= at) {
        admin.remove(name);
        deleted.put(name, new Stamp(epoch, at));
      }
    }
    // Until what Redis lost is written back, the next resync must not be skipped.
    lastCounter = lost.isEmpty() ? at : -1;
    lastEpoch = epoch;
    return rebuild();
  }

  /**
   * Writes back admin consumers that a Redis which lost its data no longer has, as creations: if
   * several replicas do it, the first wins and the others' writes are refused as stale.
   */
  private void restore(List<StoredConsumer> lost) {
    if (lost.isEmpty()) {
      return;
    }
    LOG.warning(() -> "consumer store " + redis.where() + " lost its data; writing back the "
        + lost.size() + " admin-made consumer(s) this replica knows");
    for (StoredConsumer c : lost) {
      write(c.name(), "0", c).onSuccess(outcome -> {
        if (outcome.result() == Outcome.Result.WRITTEN) {
          fire(applyAdmin(c.name(), outcome.stamp(), Optional.of(c)));
        }
      });
    }
  }

  private void onMessage(String payload) {
    // replica \n epoch \n version \n name \n json ('' for a deletion)
    String[] parts = payload.split("\n", 5);
    if (parts.length != 5) {
      return;
    }
    long version;
    try {
      version = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return;
    }
    Optional<StoredConsumer> after = parts[4].isEmpty() ? Optional.empty() : decoded(parts[3], parts[4]);
    if (!parts[4].isEmpty() && after.isEmpty()) {
      return;
    }
    fire(applyAdmin(parts[3], new Stamp(parts[1], version), after));
  }

  // ------------------------------------------------------------------ Redis calls

  private Future<Optional<Versioned>> fetch(String name) {
    return unavailableAsStoreError(redis.send(
        Request.cmd(Command.HMGET).arg(base + "consumer:" + name).arg("version").arg("data")))
        .map(r -> {
          if (r.get(0) == null || r.get(1) == null) {
            return Optional.<Versioned>empty();
          }
          return decoded(name, r.get(1).toString()).map(c -> new Versioned(c, new Stamp("", r.get(0).toLong())));
        });
  }

  /** One run of the write script; {@code after} null deletes. */
  private Future<Outcome> write(String name, String expectedVersion, StoredConsumer after) {
    String data = after == null ? "" : StoredConsumerJson.encode(after);
    String hashes = after == null ? ""
        : after.keys().stream().map(ConsumerKey::sha256).collect(Collectors.joining(" "));
    return unavailableAsStoreError(redis.eval(WRITE,
        List.of(base + "consumer:" + name, base + "key-index", base + "names", base + "version", base + "epoch"),
        List.of(name, expectedVersion, data, hashes, channel, replica, UUID.randomUUID().toString())))
        .map(r -> switch (r.get(0).toString()) {
          case "ok" -> new Outcome(Outcome.Result.WRITTEN, new Stamp(r.get(2).toString(), r.get(1).toLong()), null);
          case "stale" -> new Outcome(Outcome.Result.STALE, null, null);
          case "missing" -> new Outcome(Outcome.Result.MISSING, null, null);
          case "taken" -> new Outcome(Outcome.Result.TAKEN, null, r.get(1).toString());
          default -> throw new IllegalStateException("unexpected answer from the consumer write script");
        });
  }

  private <T> Future<T> unavailableAsStoreError(Future<T> call) {
    return call.recover(e -> Future.failedFuture(new ConsumerStoreException(Reason.UNAVAILABLE,
        (e instanceof StateStoreUnavailableException ? e.getMessage()
            : "state store " + redis.where() + " refused the consumer write (" + e.getClass().getSimpleName() + ")")
            + "; consumers cannot be changed until it answers (the gateway keeps authenticating"
            + " with the consumers it knows)")));
  }

  private Optional<StoredConsumer> decoded(String name, String json) {
    Optional<StoredConsumer> c = StoredConsumerJson.decode(json).filter(s -> s.name().equals(name));
    if (c.isEmpty()) {
      LOG.warning(() -> "consumer store: the record of consumer '" + name + "' in " + redis.where()
          + " is not a consumer; ignored");
    }
    return c;
  }

  // ------------------------------------------------------------------ the view

  /** The stamp of what the view holds for {@code name} (a state or a deletion), if anything. */
  private Stamp current(String name) {
    Versioned v = admin.get(name);
    return v != null ? v.stamp() : deleted.get(name);
  }

  /** Applies one admin consumer's state, unless the view already has a newer one. */
  private List<ConsumerChange> applyAdmin(String name, Stamp stamp, Optional<StoredConsumer> after) {
    synchronized (lock) {
      if (!stamp.newerThan(current(name))) {
        return List.of();
      }
      if (after.isPresent()) {
        admin.put(name, new Versioned(after.get(), stamp));
        deleted.remove(name);
      } else {
        admin.remove(name);
        deleted.put(name, stamp);
      }
      return rebuild();
    }
  }

  /** Publishes the view of config plus admin consumers; call with the lock held. */
  private List<ConsumerChange> rebuild() {
    Map<String, StoredConsumer> byName = new HashMap<>(config);
    Map<String, StoredConsumer> byHash = new HashMap<>();
    for (StoredConsumer c : config.values()) {
      c.keys().forEach(k -> byHash.put(k.sha256(), c));
    }
    Set<String> nowShadowed = new TreeSet<>();
    for (Versioned v : admin.values()) {
      StoredConsumer c = v.consumer();
      if (byName.containsKey(c.name())) {
        nowShadowed.add("consumer '" + c.name() + "' (its name is a config consumer's)");
        continue;
      }
      byName.put(c.name(), c);
      for (ConsumerKey k : c.keys()) {
        StoredConsumer holder = byHash.putIfAbsent(k.sha256(), c);
        if (holder != null) {
          nowShadowed.add("key '" + k.id() + "' of consumer '" + c.name() + "' (config consumer '"
              + holder.name() + "' holds the same key)");
        }
      }
    }
    if (!nowShadowed.equals(shadowed)) {
      Set<String> added = new TreeSet<>(nowShadowed);
      added.removeAll(shadowed);
      if (!added.isEmpty()) {
        LOG.warning(() -> "admin-made " + String.join(", ", added) + " ignored on this replica: its config wins;"
            + " rename or delete one of them");
      }
      shadowed = Set.copyOf(nowShadowed);
    }
    ConsumerView before = view;
    view = new ConsumerView(byName, byHash);
    Set<String> names = new HashSet<>(before.byName().keySet());
    names.addAll(byName.keySet());
    List<ConsumerChange> changes = new ArrayList<>();
    for (String name : new TreeSet<>(names)) {
      Optional<StoredConsumer> was = Optional.ofNullable(before.byName().get(name));
      Optional<StoredConsumer> is = Optional.ofNullable(byName.get(name));
      if (!was.equals(is)) {
        changes.add(new ConsumerChange(name, was, is));
      }
    }
    return changes;
  }

  private void fire(List<ConsumerChange> changes) {
    for (ConsumerChange change : changes) {
      for (Consumer<ConsumerChange> l : listeners) {
        l.accept(change);
      }
    }
  }

  private boolean configOwns(String name) {
    synchronized (lock) {
      return config.containsKey(name);
    }
  }

  /** Why this replica's config forbids admin consumer {@code c}, if it does. */
  private Optional<String> configClash(StoredConsumer c) {
    synchronized (lock) {
      if (config.containsKey(c.name())) {
        return Optional.of("consumer '" + c.name() + "' is declared in the config file");
      }
      for (ConsumerKey k : c.keys()) {
        for (StoredConsumer holder : config.values()) {
          if (holder.keys().stream().anyMatch(h -> h.sha256().equals(k.sha256()))) {
            return Optional.of(ConsumerRules.keyHeld(k.id()));
          }
        }
      }
      return Optional.empty();
    }
  }

  /** Call with the lock held. */
  private List<String> conflicts(List<ConsumerConfig> fromConfig) {
    Map<String, String> adminHashes = new HashMap<>();
    admin.values().forEach(v -> v.consumer().keys().forEach(k -> adminHashes.put(k.sha256(), v.consumer().name())));
    return ConsumerRules.seedConflicts(fromConfig, admin::containsKey, adminHashes::get);
  }

  private static ConsumerStoreException takenBy(StoredConsumer c, Outcome t) {
    String keyId = c.keys().stream().filter(k -> k.sha256().equals(t.keySha256())).map(ConsumerKey::id)
        .findFirst().orElse("?");
    return new ConsumerStoreException(Reason.CONFLICT, ConsumerRules.keyHeld(keyId));
  }

  @Override
  public void close() {
    events.close();
  }
}
