package dev.palisade.gateway.config;

import dev.palisade.gateway.secrets.Secret;
import java.util.Objects;

/** One provider API key; the id is what logs and metrics show. */
public record ProviderKey(String id, Secret value) {
  public ProviderKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(value, "value");
  }
}
