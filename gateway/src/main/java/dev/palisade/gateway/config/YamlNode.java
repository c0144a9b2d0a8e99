package dev.palisade.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that knows its file, line and path ({@code routes[2].targets[0].weight}), so every
 * validation error can say exactly where the problem is. SnakeYAML's composed node tree keeps
 * the marks that a plain data binding would throw away.
 */
final class YamlNode {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final String file;
  private final String path;
  private final Node node;

  YamlNode(String file, String path, Node node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  String path() {
    return path;
  }

  int line() {
    return node.getStartMark().getLine() + 1;
  }

  ConfigException error(String problem) {
    return new ConfigException(where() + ": " + problem);
  }

  /** {@code file:line: path}, the prefix of every message about this node. */
  String where() {
    return file + ":" + line() + ": " + (path.isEmpty() ? "(top level)" : path);
  }

  /** The entries of a mapping; a key outside {@code allowed} is an error (typos must not pass). */
  Fields fields(Set<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      throw error("expected a mapping (key: value), got " + describe());
    }
    Map<String, YamlNode> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        throw new YamlNode(file, path, tuple.getKeyNode()).error("keys must be plain names");
      }
      String key = keyNode.getValue();
      YamlNode child = new YamlNode(file, join(key), tuple.getValueNode());
      if (!allowed.contains(key)) {
        throw new YamlNode(file, join(key), keyNode)
            .error("unknown field; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (entries.put(key, child) != null) {
        throw new YamlNode(file, join(key), keyNode).error("field appears twice");
      }
    }
    return new Fields(this, entries);
  }

  List<YamlNode> items() {
    if (!(node instanceof SequenceNode sequence)) {
      throw error("expected a list, got " + describe());
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      out.add(new YamlNode(file, path + "[" + i + "]", sequence.getValue().get(i)));
    }
    return out;
  }

  String text() {
    if (!(node instanceof ScalarNode scalar)) {
      throw error("expected a single value, got " + describe());
    }
    return scalar.getValue();
  }

  String nonBlankText() {
    String value = text().strip();
    if (value.isEmpty()) {
      throw error("must not be empty");
    }
    return value;
  }

  long longValue(long min, long max) {
    String raw = text().strip().replace("_", "");
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw error("expected a whole number, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw error("must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  int intValue(int min, int max) {
    return (int) longValue(min, max);
  }

  boolean booleanValue() {
    return switch (text().strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error("expected true or false, got '" + text() + "'");
    };
  }

  Duration duration() {
    Matcher m = DURATION.matcher(text().strip());
    if (!m.matches()) {
      throw error("expected a duration such as 500ms, 30s, 5m or 1h, got '" + text() + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private String join(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  /** The fields of one mapping, with required/optional access. */
  static final class Fields {
    private final YamlNode owner;
    private final Map<String, YamlNode> entries;

    Fields(YamlNode owner, Map<String, YamlNode> entries) {
      this.owner = owner;
      this.entries = entries;
    }

    YamlNode owner() {
      return owner;
    }

    boolean has(String name) {
      return entries.containsKey(name);
    }

    YamlNode required(String name) {
      YamlNode child = entries.get(name);
      if (child == null) {
        throw owner.error("missing required field '" + name + "'");
      }
      return child;
    }

    java.util.Optional<YamlNode> optional(String name) {
      return java.util.Optional.ofNullable(entries.get(name));
    }
  }
}
