package dev.palisade.gateway.config;

import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.routing.ModelPattern;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A client of the gateway. Only the SHA-256 of its gateway key is stored: gateway keys are long
 * random strings, so a fast hash is enough and a leaked config does not let anyone in.
 *
 * @param keySha256 null for a consumer that authenticates only by JWT or client certificate
 * @param identities its JWT claim value and/or client certificate identity
 */
public record ConsumerConfig(
    String name, String keySha256, List<ModelPattern> models, Limits limits, ConsumerIdentities identities) {

  /** A consumer with a gateway key only. */
  public ConsumerConfig(String name, String keySha256, List<ModelPattern> models, Limits limits) {
    this(name, keySha256, models, limits, ConsumerIdentities.NONE);
  }

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public ConsumerConfig {
    if (identities == null) {
      identities = ConsumerIdentities.NONE;
    }
    if (keySha256 != null && !HEX64.matcher(keySha256).matches()) {
      throw new IllegalArgumentException("key_sha256 must be 64 lowercase hex characters");
    }
    if (keySha256 == null && identities.isEmpty()) {
      throw new IllegalArgumentException("a consumer needs a key_sha256, a jwt_claim or a client certificate");
    }
    models = List.copyOf(models);
  }

  public boolean mayUse(String model) {
    return models.stream().anyMatch(p -> p.matches(model));
  }
}
