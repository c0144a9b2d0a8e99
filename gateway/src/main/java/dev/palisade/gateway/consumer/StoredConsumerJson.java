package dev.palisade.gateway.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.routing.ModelPattern;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@link RedisConsumerStore} writes an admin-made consumer: JSON holding key ids and key
 * hashes (never a key), model patterns and limits ({@code null} for unlimited).
 */
final class StoredConsumerJson {

  private StoredConsumerJson() {}

  static String encode(StoredConsumer c) {
    ObjectNode o = Json.object();
    o.put("name", c.name());
    ArrayNode keys = o.putArray("keys");
    for (ConsumerKey k : c.keys()) {
      ObjectNode key = keys.addObject().put("id", k.id()).put("sha256", k.sha256());
      if (k.createdAt() != null) {
        key.put("created_at", k.createdAt().toString());
      }
    }
    ArrayNode models = o.putArray("models");
    c.models().forEach(m -> models.add(m.text()));
    ObjectNode limits = o.putObject("limits");
    limit(limits, "tokens_per_day", c.limits().tokensPerDay());
    limit(limits, "tokens_per_month", c.limits().tokensPerMonth());
    limit(limits, "requests_per_minute", c.limits().requestsPerMinute());
    limit(limits, "tokens_per_minute", c.limits().tokensPerMinute());
    return o.toString();
  }

  /** The consumer, or empty if {@code text} is not one (written by something else). */
  static Optional<StoredConsumer> decode(String text) {
    try {
      JsonNode o = Json.parse(text);
      List<ConsumerKey> keys = new ArrayList<>();
      for (JsonNode k : o.path("keys")) {
        keys.add(new ConsumerKey(k.path("id").asText(), k.path("sha256").asText(),
            k.hasNonNull("created_at") ? Instant.parse(k.path("created_at").asText()) : null));
      }
      List<ModelPattern> models = new ArrayList<>();
      o.path("models").forEach(m -> models.add(new ModelPattern(m.asText())));
      JsonNode l = o.path("limits");
      Limits limits = new Limits(limit(l, "tokens_per_day"), limit(l, "tokens_per_month"),
          limit(l, "requests_per_minute"), limit(l, "tokens_per_minute"));
      return Optional.of(new StoredConsumer(
          o.path("name").asText(), StoredConsumer.Origin.ADMIN, keys, models, limits));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void limit(ObjectNode o, String field, long value) {
    if (value == Limits.UNLIMITED) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  private static long limit(JsonNode l, String field) {
    JsonNode v = l.path(field);
    if (!v.isIntegralNumber()) {
      return Limits.UNLIMITED;
    }
    return v.asLong();
  }
}
