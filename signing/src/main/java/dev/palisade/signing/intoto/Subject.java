package dev.palisade.signing.intoto;

import java.util.Map;
import java.util.TreeMap;

/** An in-toto subject: a name and its digests (algorithm to lowercase hex). */
public record Subject(String name, Map<String, String> digest) {
  public Subject {
    if (name == null) {
      name = "";
    }
    if (digest == null || digest.isEmpty()) {
      throw new IllegalArgumentException("an in-toto subject needs at least one digest");
    }
    digest = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(digest));
  }
}
