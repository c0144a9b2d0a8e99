package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where consumers live, so that they can change while the gateway runs.
 *
 * <p>Reads are synchronous and come from a local view: the request path looks a key up on every
 * call and must not wait for a network store. Writes are asynchronous and return a Future, so a
 * shared implementation (Redis: a hash per consumer, a key-hash index, a version checked in a
 * script, pub/sub to refresh every replica's view) fits behind the same interface; such a store
 * applies a write to its view when the store confirms it and fires the listeners for writes made
 * by other replicas too.
 *
 * <p>Consumers declared in the config file ({@link StoredConsumer.Origin#CONFIG}) are owned by
 * the file: {@link #seed} replaces exactly that set, and the write methods refuse to touch them
 * ({@link ConsumerStoreException.Reason#READ_ONLY}). Consumers made through the admin API
 * ({@link StoredConsumer.Origin#ADMIN}) are never touched by seeding.
 */
public interface ConsumerStore {

  /** The consumer holding the key with this SHA-256, as the request path sees it. */
  Optional<ConsumerConfig> byKeyHash(String keySha256);

  Optional<StoredConsumer> get(String name);

  /** All consumers, sorted by name. */
  List<StoredConsumer> list();

  /** Fails with CONFLICT if the name or one of its key hashes is taken. */
  Future<StoredConsumer> create(StoredConsumer consumer);

  /**
   * Applies {@code change} to an admin-made consumer atomically (a shared store retries it on a
   * concurrent write). Fails with NOT_FOUND, READ_ONLY, or CONFLICT if a new key hash is taken.
   */
  Future<StoredConsumer> update(String name, UnaryOperator<StoredConsumer> change);

  /** Fails with NOT_FOUND or READ_ONLY. */
  Future<Void> delete(String name);

  /**
   * Why {@link #seed} would refuse these config consumers (a name or key hash already used by an
   * admin-made consumer), or empty if it would accept them. Lets a reload refuse a config before
   * anything is swapped.
   */
  List<String> seedConflicts(List<ConsumerConfig> fromConfig);

  /**
   * Makes the config-owned consumers exactly {@code fromConfig}: adds, updates and removes only
   * those. Idempotent: seeding the same list again changes nothing and fires no change.
   */
  Future<Void> seed(List<ConsumerConfig> fromConfig);

  /** Called after every change, on the thread that made it (or the store's own thread). */
  void addListener(Consumer<ConsumerChange> listener);
}
