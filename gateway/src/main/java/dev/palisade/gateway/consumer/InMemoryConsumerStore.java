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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The consumer store of a single instance. Writers serialize on a lock and publish immutable
 * snapshots; the request path reads the current snapshot without locking. Admin-made consumers
 * live only as long as the process (a shared store keeps them across restarts).
 */
public final class InMemoryConsumerStore implements ConsumerStore {

  private final Object writeLock = new Object();
  private final List<Consumer<ConsumerChange>> listeners = new CopyOnWriteArrayList<>();
  private volatile ConsumerView snapshot = ConsumerView.EMPTY;

  public InMemoryConsumerStore() {}

  /** A store holding exactly the config file's consumers. */
  public static InMemoryConsumerStore seededWith(List<ConsumerConfig> fromConfig) {
    InMemoryConsumerStore store = new InMemoryConsumerStore();
    store.seed(fromConfig).await();
    return store;
  }

  @Override
  public Optional<ConsumerConfig> byKeyHash(String keySha256) {
    return snapshot.byKeyHash(keySha256);
  }

  @Override
  public Optional<StoredConsumer> get(String name) {
    return snapshot.get(name);
  }

  @Override
  public List<StoredConsumer> list() {
    return snapshot.list();
  }

  @Override
  public Future<StoredConsumer> create(StoredConsumer consumer) {
    List<ConsumerChange> changes;
    synchronized (writeLock) {
      ConsumerView s = snapshot;
      if (s.byName().containsKey(consumer.name())) {
        return Future.failedFuture(ConsumerRules.alreadyExists(consumer.name()));
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
      ConsumerView s = snapshot;
      StoredConsumer before = s.byName().get(name);
      if (before == null) {
        return Future.failedFuture(ConsumerRules.notFound(name));
      }
      if (before.origin() == Origin.CONFIG) {
        return Future.failedFuture(ConsumerRules.readOnly(name));
      }
      Future<StoredConsumer> changed = ConsumerRules.changed(name, before, change);
      if (changed.failed()) {
        return changed;
      }
      after = changed.result();
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
        return Future.failedFuture(ConsumerRules.notFound(name));
      }
      if (before.origin() == Origin.CONFIG) {
        return Future.failedFuture(ConsumerRules.readOnly(name));
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
      ConsumerView s = snapshot;
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

  private static List<String> conflicts(ConsumerView s, List<ConsumerConfig> fromConfig) {
    return ConsumerRules.seedConflicts(fromConfig,
        name -> s.get(name).filter(c -> c.origin() == Origin.ADMIN).isPresent(),
        hash -> {
          StoredConsumer holder = s.byHash().get(hash);
          return holder != null && holder.origin() == Origin.ADMIN ? holder.name() : null;
        });
  }

  /** A message if one of {@code c}'s key hashes belongs to another consumer. */
  private static Optional<String> takenHash(ConsumerView s, StoredConsumer c, String self) {
    for (ConsumerKey k : c.keys()) {
      StoredConsumer holder = s.byHash().get(k.sha256());
      if (holder != null && !holder.name().equals(self)) {
        return Optional.of(ConsumerRules.keyHeld(k.id()));
      }
    }
    return Optional.empty();
  }

  /** Builds and publishes the next snapshot; call with the write lock held. */
  private List<ConsumerChange> publish(List<StoredConsumer> upserts, List<String> removals) {
    ConsumerView s = snapshot;
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
    snapshot = new ConsumerView(byName, byHash);
    return changes;
  }

  private void fire(List<ConsumerChange> changes) {
    for (ConsumerChange change : changes) {
      for (Consumer<ConsumerChange> l : listeners) {
        l.accept(change);
      }
    }
  }
}
