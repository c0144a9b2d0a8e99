package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.consumer.ConsumerStoreException.Reason;
import dev.palisade.gateway.consumer.StoredConsumer.Origin;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The consumer store of a single instance. Writers serialize on a lock and publish immutable
 * snapshots; the request path reads the current snapshot without locking. Admin-made consumers
 * live only as long as the process (a shared store keeps them across restarts).
 */
public final class InMemoryConsumerStore implements ConsumerStore {

  private record Snapshot(Map<String, StoredConsumer> byName, Map<String, StoredConsumer> byHash) {}

  private final Object writeLock = new Object();
  private final List<Consumer<ConsumerChange>> listeners = new CopyOnWriteArrayList<>();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

  public InMemoryConsumerStore() {}

  /** A store holding exactly the config file's consumers. */
  public static InMemoryConsumerStore seededWith(List<ConsumerConfig> fromConfig) {
    InMemoryConsumerStore store = new InMemoryConsumerStore();
    store.seed(fromConfig).await();
    return store;
  }

  @Override
  public Optional<ConsumerConfig> byKeyHash(String keySha256) {
    StoredConsumer c = snapshot.byHash().get(keySha256);
    return c == null ? Optional.empty() : Optional.of(c.asConfig(keySha256));
  }

  @Override
  public Optional<StoredConsumer> get(String name) {
    return Optional.ofNullable(snapshot.byName().get(name));
  }

  @Override
  public List<StoredConsumer> list() {
    return List.copyOf(new TreeMap<>(snapshot.byName()).values());
  }

  @Override
  public Future<StoredConsumer> create(StoredConsumer consumer) {
    List<ConsumerChange> changes;
    synchronized (writeLock) {
      Snapshot s = snapshot;
      if (s.byName().containsKey(consumer.name())) {
        return Future.failedFuture(
            new ConsumerStoreException(Reason.CONFLICT, "consumer '" + consumer.name() + "' already exists"));
      }
      Optional<String> taken = takenHash(s, consumer, null);
      if (taken.isPresent()) {
        return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, taken.get()));
      }
      changes = publish(List.of(consumer), List.of());
    }
    fire(changes);
    return Future.succeededFuture(consumer);
  }

  @Override
  public Future<StoredConsumer> update(String name, UnaryOperator<StoredConsumer> change) {
    List<ConsumerChange> changes;
    StoredConsumer after;
    synchronized (writeLock) {
      Snapshot s = snapshot;
      StoredConsumer before = s.byName().get(name);
      if (before == null) {
        return Future.failedFuture(notFound(name));
      }
      if (before.origin() == Origin.CONFIG) {
        return Future.failedFuture(readOnly(name));
      }
      try {
        after = change.apply(before);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, e.getMessage()));
      } catch (RuntimeException e) {
        return Future.failedFuture(e); // the caller's own refusal, passed through
      }
      if (!after.name().equals(name) || after.origin() != before.origin()) {
        return Future.failedFuture(
            new ConsumerStoreException(Reason.CONFLICT, "an update cannot rename a consumer or change its origin"));
      }
      Optional<String> taken = takenHash(s, after, name);
      if (taken.isPresent()) {
        return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, taken.get()));
      }
      changes = publish(List.of(after), List.of());
    }
    fire(changes);
    return Future.succeededFuture(after);
  }

  @Override
  public Future<Void> delete(String name) {
    List<ConsumerChange> changes;
    synchronized (writeLock) {
      StoredConsumer before = snapshot.byName().get(name);
      if (before == null) {
        return Future.failedFuture(notFound(name));
      }
      if (before.origin() == Origin.CONFIG) {
        return Future.failedFuture(readOnly(name));
      }
      changes = publish(List.of(), List.of(name));
    }
    fire(changes);
    return Future.succeededFuture();
  }

  @Override
  public List<String> seedConflicts(List<ConsumerConfig> fromConfig) {
    return conflicts(snapshot, fromConfig);
  }

  @Override
  public Future<Void> seed(List<ConsumerConfig> fromConfig) {
    List<ConsumerChange> changes;
    synchronized (writeLock) {
      Snapshot s = snapshot;
      List<String> conflicts = conflicts(s, fromConfig);
      if (!conflicts.isEmpty()) {
        return Future.failedFuture(new ConsumerStoreException(Reason.CONFLICT, String.join("; ", conflicts)));
      }
      List<StoredConsumer> upserts = new ArrayList<>();
      LinkedHashSet<String> wanted = new LinkedHashSet<>();
      for (ConsumerConfig c : fromConfig) {
        StoredConsumer next = StoredConsumer.fromConfig(c);
        wanted.add(next.name());
        if (!next.equals(s.byName().get(next.name()))) {
          upserts.add(next);
        }
      }
      List<String> removals = s.byName().values().stream()
          .filter(c -> c.origin() == Origin.CONFIG && !wanted.contains(c.name()))
          .map(StoredConsumer::name)
          .toList();
      changes = publish(upserts, removals);
    }
    fire(changes);
    return Future.succeededFuture();
  }

  @Override
  public void addListener(Consumer<ConsumerChange> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  private static List<String> conflicts(Snapshot s, List<ConsumerConfig> fromConfig) {
    List<String> out = new ArrayList<>();
    for (ConsumerConfig c : fromConfig) {
      StoredConsumer existing = s.byName().get(c.name());
      if (existing != null && existing.origin() == Origin.ADMIN) {
        out.add("consumer '" + c.name() + "' in the config is also an admin-made consumer;"
            + " delete one of them or rename it");
      }
      StoredConsumer holder = c.keySha256() == null ? null : s.byHash().get(c.keySha256());
      if (holder != null && holder.origin() == Origin.ADMIN) {
        out.add("the key_sha256 of config consumer '" + c.name() + "' belongs to a key of admin-made consumer '"
            + holder.name() + "'");
      }
    }
    return out;
  }

  /** A message if one of {@code c}'s key hashes belongs to another consumer. */
  private static Optional<String> takenHash(Snapshot s, StoredConsumer c, String self) {
    for (ConsumerKey k : c.keys()) {
      StoredConsumer holder = s.byHash().get(k.sha256());
      if (holder != null && !holder.name().equals(self)) {
        return Optional.of("key '" + k.id() + "' is already held by another consumer");
      }
    }
    return Optional.empty();
  }

  /** Builds and publishes the next snapshot; call with the write lock held. */
  private List<ConsumerChange> publish(List<StoredConsumer> upserts, List<String> removals) {
    Snapshot s = snapshot;
    Map<String, StoredConsumer> byName = new HashMap<>(s.byName());
    List<ConsumerChange> changes = new ArrayList<>();
    for (StoredConsumer c : upserts) {
      changes.add(new ConsumerChange(c.name(), Optional.ofNullable(byName.put(c.name(), c)), Optional.of(c)));
    }
    for (String name : removals) {
      changes.add(new ConsumerChange(name, Optional.ofNullable(byName.remove(name)), Optional.empty()));
    }
    Map<String, StoredConsumer> byHash = new HashMap<>();
    for (StoredConsumer c : byName.values()) {
      c.keys().forEach(k -> byHash.put(k.sha256(), c));
    }
    snapshot = new Snapshot(Map.copyOf(byName), Map.copyOf(byHash));
    return changes;
  }

  private void fire(List<ConsumerChange> changes) {
    for (ConsumerChange change : changes) {
      for (Consumer<ConsumerChange> l : listeners) {
        l.accept(change);
      }
    }
  }

  private static ConsumerStoreException notFound(String name) {
    return new ConsumerStoreException(Reason.NOT_FOUND, "no consumer named '" + name + "'");
  }

  private static ConsumerStoreException readOnly(String name) {
    return new ConsumerStoreException(Reason.READ_ONLY,
        "consumer '" + name + "' is declared in the config file; change it there (a reload applies it)");
  }
}
