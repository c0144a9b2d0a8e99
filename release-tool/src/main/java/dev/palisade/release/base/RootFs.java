package dev.palisade.release.base;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A root filesystem being assembled, keyed by path without a leading slash. Sorted by path so a
 * layer written from it is the same whatever order packages were unpacked in; a parent always
 * sorts before its children.
 */
public final class RootFs {

  private final TreeMap<String, FsNode> nodes = new TreeMap<>();

  /** Normalises {@code ./usr/bin/}, {@code /usr/bin} and {@code usr/bin} to {@code usr/bin}. */
  public static String normalise(String path) {
    String p = path;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.startsWith("./") ? p.substring(2) : p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.equals(".") || p.contains("/../") || p.startsWith("../") || p.equals("..")) {
      throw new IllegalArgumentException("path escapes the root: " + path);
    }
    return p;
  }

  /** Adds or replaces an entry; missing parent directories are created (0755). */
  public void put(String path, FsNode node) {
    String p = normalise(path);
    if (p.isEmpty()) {
      return;
    }
    int slash = p.lastIndexOf('/');
    if (slash > 0) {
      String parent = p.substring(0, slash);
      if (!nodes.containsKey(parent)) {
        put(parent, FsNode.directory(0755));
      }
    }
    FsNode existing = nodes.get(p);
    if (existing != null && existing.type() == FsNode.Type.DIRECTORY && node.type() == FsNode.Type.DIRECTORY) {
      return; // several packages own the same directory: the first one's mode stays
    }
    nodes.put(p, node);
  }

  public FsNode get(String path) {
    return nodes.get(normalise(path));
  }

  public void removeTree(String path) {
    String p = normalise(path);
    nodes.remove(p);
    nodes.subMap(p + "/", p + "0").clear(); // '0' is the character after '/'
  }

  public NavigableMap<String, FsNode> entries() {
    return Collections.unmodifiableNavigableMap(nodes);
  }

  public int size() {
    return nodes.size();
  }

  public void putAll(Map<String, FsNode> more) {
    more.forEach(this::put);
  }
}
