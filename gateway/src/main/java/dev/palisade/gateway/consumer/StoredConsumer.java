package dev.palisade.gateway.consumer;

import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.routing.ModelPattern;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A consumer as the {@link ConsumerStore} holds it: any number of gateway keys (by hash), the
 * models it may call and its limits, and where it came from.
 *
 * @param origin {@link Origin#CONFIG} consumers are owned by the config file (re-seeded on every
 *     reload, read-only through the admin API); {@link Origin#ADMIN} ones by the admin API.
 */
public record StoredConsumer(
    String name, Origin origin, List<ConsumerKey> keys, List<ModelPattern> models, Limits limits) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public enum Origin { CONFIG, ADMIN }

  public StoredConsumer {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "names are 1-64 characters of letters, digits, '_', '.', '-' (they become metric labels)");
    }
    if (origin == null || limits == null) {
      throw new IllegalArgumentException("origin and limits are required");
    }
    keys = List.copyOf(keys);
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("list at least one model pattern ('*' for all)");
    }
    Set<String> ids = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ConsumerKey k : keys) {
      if (!ids.add(k.id()) || !hashes.add(k.sha256())) {
        throw new IllegalArgumentException("key ids and key hashes must be unique within a consumer");
      }
    }
  }

  /**
   * The consumer the config file declares: its one gateway key, or none when it signs in only
   * with a JWT or a client certificate (those map to the config's consumers directly).
   */
  public static StoredConsumer fromConfig(ConsumerConfig c) {
    List<ConsumerKey> keys = c.keySha256() == null
        ? List.of()
        : List.of(new ConsumerKey(ConsumerKey.CONFIG_KEY_ID, c.keySha256(), null));
    return new StoredConsumer(c.name(), Origin.CONFIG, keys, c.models(), c.limits());
  }

  /** The request path's view of this consumer when it authenticated with {@code keySha256}. */
  public ConsumerConfig asConfig(String keySha256) {
    return new ConsumerConfig(name, keySha256, models, limits);
  }

  public Optional<ConsumerKey> key(String id) {
    return keys.stream().filter(k -> k.id().equals(id)).findFirst();
  }

  public StoredConsumer withKeys(List<ConsumerKey> newKeys) {
    return new StoredConsumer(name, origin, newKeys, models, limits);
  }

  public StoredConsumer withModelsAndLimits(List<ModelPattern> newModels, Limits newLimits) {
    return new StoredConsumer(name, origin, keys, newModels, newLimits);
  }
}
