package dev.palisade.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.consumer.ConsumerKey;
import dev.palisade.gateway.consumer.StoredConsumer;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.quota.Limits;
import dev.palisade.gateway.quota.QuotaStore;
import dev.palisade.gateway.routing.ModelPattern;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The admin API's JSON: consumers and limits out, validated fields in. */
final class AdminJson {

  static final List<String> LIMIT_NAMES =
      List.of("tokens_per_day", "tokens_per_month", "requests_per_minute", "tokens_per_minute");

  private AdminJson() {}

  static ObjectNode consumer(StoredConsumer c) {
    ObjectNode o = Json.object();
    o.put("name", c.name());
    o.put("origin", c.origin().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode models = o.putArray("models");
    c.models().forEach(m -> models.add(m.text()));
    o.set("limits", limits(c.limits()));
    ArrayNode keys = o.putArray("keys");
    for (ConsumerKey k : c.keys()) {
      ObjectNode key = keys.addObject().put("id", k.id());
      if (k.createdAt() != null) {
        key.put("created_at", k.createdAt().toString());
      }
    }
    return o;
  }

  static ObjectNode limits(Limits l) {
    ObjectNode o = Json.object();
    long[] values = {l.tokensPerDay(), l.tokensPerMonth(), l.requestsPerMinute(), l.tokensPerMinute()};
    for (int i = 0; i < values.length; i++) {
      if (values[i] == Limits.UNLIMITED) {
        o.putNull(LIMIT_NAMES.get(i));
      } else {
        o.put(LIMIT_NAMES.get(i), values[i]);
      }
    }
    return o;
  }

  static ObjectNode usage(QuotaStore.Usage u) {
    return Json.object()
        .put("tokens_used_today", u.usedToday())
        .put("tokens_reserved_today", u.reservedToday())
        .put("tokens_used_this_month", u.usedThisMonth());
  }

  /** Rejects fields outside {@code allowed}: a typo must not be silently ignored. */
  static void onlyFields(ObjectNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw AdminException.badRequest("unknown field '" + f + "'; allowed: " + allowed.stream().sorted().toList());
      }
    }
  }

  static String name(JsonNode node, String field) {
    if (node == null || !node.isTextual() || !node.asText().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw AdminException.badRequest(
          "'" + field + "' must be 1-64 characters of letters, digits, '_', '.', '-'");
    }
    return node.asText();
  }

  static List<ModelPattern> models(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw AdminException.badRequest("'models' must be a non-empty list of model patterns ('*' for all)");
    }
    List<ModelPattern> out = new ArrayList<>();
    for (JsonNode m : node) {
      if (!m.isTextual()) {
        throw AdminException.badRequest("'models' entries must be strings");
      }
      try {
        out.add(new ModelPattern(m.asText()));
      } catch (IllegalArgumentException e) {
        throw AdminException.badRequest("'models': " + e.getMessage());
      }
    }
    return out;
  }

  /** Limits from {@code {"tokens_per_day": 1000, ...}}; a missing or null field is unlimited. */
  static Limits limits(JsonNode node) {
    if (node == null || node.isNull()) {
      return Limits.NONE;
    }
    if (!(node instanceof ObjectNode o)) {
      throw AdminException.badRequest("'limits' must be an object with " + LIMIT_NAMES);
    }
    onlyFields(o, Set.copyOf(LIMIT_NAMES));
    long[] v = new long[4];
    for (int i = 0; i < 4; i++) {
      JsonNode n = o.get(LIMIT_NAMES.get(i));
      if (n == null || n.isNull()) {
        v[i] = Limits.UNLIMITED;
      } else if (n.canConvertToLong() && n.isIntegralNumber() && n.asLong() >= 1 && n.asLong() < Limits.UNLIMITED) {
        v[i] = n.asLong();
      } else {
        throw AdminException.badRequest(
            "'limits." + LIMIT_NAMES.get(i) + "' must be a whole number of at least 1, or null for no limit");
      }
    }
    return new Limits(v[0], v[1], v[2], v[3]);
  }
}
