package dev.palisade.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * JSON whose bytes depend only on the data: every map written must have a defined iteration order
 * ({@link LinkedHashMap} or {@link SortedMap}). {@code Map.of} is refused because its iteration
 * order comes from a salt chosen at random when the JVM starts: a config built from {@code Map.of}
 * serialises its keys in a different order from one run to the next, so its digest changes. That
 * was the cause of the base image's digest differing between runs (fixed in 0.1.0).
 */
public final class OrderedJson {

  private static final ObjectMapper COMPACT = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private OrderedJson() {}

  /** Compact UTF-8 JSON, for digested documents (configs, manifests). */
  public static byte[] bytes(Object tree) {
    check(tree, "$");
    try {
      return COMPACT.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + tree.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  public static String compact(Object tree) {
    return new String(bytes(tree), StandardCharsets.UTF_8);
  }

  /** Indented JSON, for documents people read (provenance, results). */
  public static String pretty(Object tree) {
    check(tree, "$");
    try {
      return PRETTY.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + tree.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /** Throws when any map in the tree could iterate in a different order in another JVM. */
  static void check(Object node, String path) {
    if (node instanceof Map<?, ?> map) {
      if (!(map instanceof LinkedHashMap) && !(map instanceof SortedMap)) {
        throw new IllegalArgumentException("JSON map at " + path + " has no defined key order ("
            + map.getClass().getName() + "); use a LinkedHashMap or a TreeMap");
      }
      map.forEach((k, v) -> check(v, path + "." + k));
    } else if (node instanceof Collection<?> list) {
      if (node instanceof java.util.Set<?> && !(node instanceof java.util.SortedSet<?>)
          && !(node instanceof java.util.LinkedHashSet<?>)) {
        throw new IllegalArgumentException("JSON array at " + path + " comes from an unordered set");
      }
      int i = 0;
      for (Object item : list) {
        check(item, path + "[" + i++ + "]");
      }
    }
  }

  /** An insertion-ordered map from alternating keys and values: {@code map("a", 1, "b", 2)}. */
  public static Map<String, Object> map(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (m.put((String) keysAndValues[i], keysAndValues[i + 1]) != null) {
        throw new IllegalArgumentException("duplicate key " + keysAndValues[i]);
      }
    }
    return m;
  }
}
