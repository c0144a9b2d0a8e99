package dev.palisade.gateway.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.consumer.ConsumerStoreException.Reason;
import dev.palisade.gateway.consumer.StoredConsumer.Origin;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.routing.ModelPattern;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryConsumerStoreTest {

  static final String H1 = ConsumerKeys.sha256Hex("k1");
  static final String H2 = ConsumerKeys.sha256Hex("k2");
  static final String H3 = ConsumerKeys.sha256Hex("k3");

  static ConsumerConfig cfg(String name, String hash, String model) {
    return new ConsumerConfig(name, hash, List.of(new ModelPattern(model)), Limits.NONE);
  }

  static StoredConsumer admin(String name, String hash) {
    return new StoredConsumer(name, Origin.ADMIN, List.of(new ConsumerKey("k", hash, Instant.EPOCH)),
        List.of(new ModelPattern("*")), Limits.NONE);
  }

  static Reason reason(Future<?> f) {
    assertTrue(f.failed(), "expected a refusal");
    return ((ConsumerStoreException) f.cause()).reason();
  }

  @Test
  void seedingIsIdempotentAndTouchesOnlyConfigConsumers() {
    InMemoryConsumerStore store = new InMemoryConsumerStore();
    List<ConsumerChange> changes = new ArrayList<>();
    store.addListener(changes::add);
    store.seed(List.of(cfg("a", H1, "*"), cfg("b", H2, "*"))).await();
    assertEquals(2, changes.size());
    store.seed(List.of(cfg("a", H1, "*"), cfg("b", H2, "*"))).await();
    assertEquals(2, changes.size(), "the same seed again changes nothing");

    store.create(admin("x", H3)).await();
    store.seed(List.of(cfg("a", H1, "gpt-*"))).await();
    assertEquals(List.of("a", "x"), store.list().stream().map(StoredConsumer::name).toList());
    assertEquals(ConsumerChange.Kind.UPDATED, changes.get(3).kind());
    assertEquals(ConsumerChange.Kind.DELETED, changes.get(4).kind());
    assertTrue(store.byKeyHash(H2).isEmpty(), "a consumer dropped from the config loses its key at once");
    assertTrue(store.byKeyHash(H3).isPresent(), "admin-made consumers are not touched by seeding");
    assertFalse(store.byKeyHash(H1).get().mayUse("claude"));
  }

  @Test
  void seedingRefusesClashesWithAdminConsumersAndChangesNothing() {
    InMemoryConsumerStore store = InMemoryConsumerStore.seededWith(List.of(cfg("a", H1, "*")));
    store.create(admin("x", H3)).await();
    assertEquals(1, store.seedConflicts(List.of(cfg("x", H2, "*"))).size());
    assertEquals(1, store.seedConflicts(List.of(cfg("y", H3, "*"))).size());
    assertEquals(Reason.CONFLICT, reason(store.seed(List.of(cfg("a", H1, "*"), cfg("y", H3, "*")))));
    assertEquals(List.of("a", "x"), store.list().stream().map(StoredConsumer::name).toList());
  }

  @Test
  void writesAreCheckedAndIndexed() {
    InMemoryConsumerStore store = InMemoryConsumerStore.seededWith(List.of(cfg("a", H1, "*")));
    assertEquals(Reason.CONFLICT, reason(store.create(admin("a", H2))));
    assertEquals(Reason.CONFLICT, reason(store.create(admin("x", H1))), "a key hash belongs to one consumer");
    assertEquals(Reason.READ_ONLY, reason(store.update("a", c -> c)));
    assertEquals(Reason.READ_ONLY, reason(store.delete("a")));
    assertEquals(Reason.NOT_FOUND, reason(store.update("nobody", c -> c)));
    assertEquals(Reason.NOT_FOUND, reason(store.delete("nobody")));

    store.create(admin("x", H2)).await();
    assertEquals("x", store.byKeyHash(H2).orElseThrow().name());
    store.update("x", c -> c.withKeys(List.of(new ConsumerKey("k2", H3, Instant.EPOCH)))).await();
    assertTrue(store.byKeyHash(H2).isEmpty(), "a replaced key stops working");
    assertEquals("x", store.byKeyHash(H3).orElseThrow().name());
    assertEquals(H3, store.byKeyHash(H3).orElseThrow().keySha256());
    assertEquals(Reason.CONFLICT,
        reason(store.update("x", c -> c.withKeys(List.of(new ConsumerKey("k", H1, Instant.EPOCH))))));
    store.delete("x").await();
    assertTrue(store.byKeyHash(H3).isEmpty());
  }
}
