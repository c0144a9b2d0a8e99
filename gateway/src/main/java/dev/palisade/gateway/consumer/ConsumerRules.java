package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.consumer.ConsumerStoreException.Reason;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** What every consumer store refuses, and how it words the refusal, in one place. */
final class ConsumerRules {

  private ConsumerRules() {}

  /**
   * Why config consumers {@code fromConfig} cannot be seeded next to the admin-made consumers a
   * store knows: a name that is an admin consumer's, a key hash an admin consumer holds (whose
   * name {@code adminHolding} returns, or null).
   */
  static List<String> seedConflicts(List<ConsumerConfig> fromConfig, Predicate<String> isAdmin,
      Function<String, String> adminHolding) {
    List<String> out = new ArrayList<>();
    for (ConsumerConfig c : fromConfig) {
      if (isAdmin.test(c.name())) {
        out.add("consumer '" + c.name() + "' in the config is also an admin-made consumer;"
            + " delete one of them or rename it");
      }
      String holder = c.keySha256() == null ? null : adminHolding.apply(c.keySha256());
      if (holder != null) {
        out.add("the key_sha256 of config consumer '" + c.name() + "' belongs to a key of admin-made consumer '"
            + holder + "'");
      }
    }
    return out;
  }

  /**
   * {@code change} applied to {@code before}, or why not: the change refused it (an
   * IllegalArgumentException is a conflict, any other exception is passed through as it is), or
   * it renamed the consumer or changed its origin.
   */
  static Future<StoredConsumer> changed(String name, StoredConsumer before, UnaryOperator<StoredConsumer> change) {
    StoredConsumer after;
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
    return Future.succeededFuture(after);
  }

  /** Names the key by its id only: neither its hash nor the other consumer is told. */
  static String keyHeld(String keyId) {
    return "key '" + keyId + "' is already held by another consumer";
  }

  static ConsumerStoreException alreadyExists(String name) {
    return new ConsumerStoreException(Reason.CONFLICT, "consumer '" + name + "' already exists");
  }

  static ConsumerStoreException notFound(String name) {
    return new ConsumerStoreException(Reason.NOT_FOUND, "no consumer named '" + name + "'");
  }

  static ConsumerStoreException readOnly(String name) {
    return new ConsumerStoreException(Reason.READ_ONLY,
        "consumer '" + name + "' is declared in the config file; change it there (a reload applies it)");
  }
}
