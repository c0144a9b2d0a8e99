package dev.palisade.scanner.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus the line of every node, keyed by dotted path
 * ({@code rules[3].strings.banner.text}). Why: Jackson trees carry no locations, and a rule author
 * deserves the line of the mistake.
 */
final class LocatedYaml {

  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  final JsonNode root;
  private final Map<String, Integer> lines;

  private LocatedYaml(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  /** Line of the node at {@code path}, or of its nearest ancestor that has one; 0 when unknown. */
  int line(String path) {
    String p = path;
    while (true) {
      Integer l = lines.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return lines.getOrDefault("", 0);
      }
      p = p.substring(0, cut);
    }
  }

  static LocatedYaml parse(String file, byte[] content) throws RuleValidationException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.createParser(content)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new RuleValidationException(file, null, null, 1, "the file is empty");
      }
      JsonNode root = read(file, p, "", lines);
      if (p.nextToken() != null) {
        throw new RuleValidationException(file, null, null, p.currentLocation().getLineNr(), "only one YAML document per file");
      }
      return new LocatedYaml(root, lines);
    } catch (IOException e) {
      int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
          ? jpe.getLocation().getLineNr() : 0;
      String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new RuleValidationException(file, null, null, line, "not valid YAML: " + msg);
    }
  }

  private static JsonNode read(String file, JsonParser p, String path, Map<String, Integer> lines)
      throws IOException, RuleValidationException {
    lines.put(path, p.currentTokenLocation().getLineNr());
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT: {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          int line = p.currentTokenLocation().getLineNr();
          if (o.has(name)) {
            throw new RuleValidationException(file, null, child, line, "duplicate key");
          }
          p.nextToken();
          JsonNode value = read(file, p, child, lines);
          lines.put(child, line);
          o.set(name, value);
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(file, p, path + "[" + i++ + "]", lines));
        }
        return a;
      }
      case VALUE_STRING:
        return f.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return f.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return f.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return f.booleanNode(true);
      case VALUE_FALSE:
        return f.booleanNode(false);
      case VALUE_NULL:
        return f.nullNode();
      default:
        throw new RuleValidationException(file, null, path, p.currentTokenLocation().getLineNr(), "unsupported YAML token " + p.currentToken());
    }
  }
}
