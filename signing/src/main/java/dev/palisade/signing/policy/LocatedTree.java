package dev.palisade.signing.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * A YAML document as a Jackson tree plus the line of every node by path ({@code
 * policies[0].signers[1].key}). Jackson trees carry no locations; a policy author deserves the line
 * of the mistake.
 */
final class LocatedTree {

  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  final JsonNode root;
  private final Map<String, Integer> lines;
  private final String file;

  private LocatedTree(String file, JsonNode root, Map<String, Integer> lines) {
    this.file = file;
    this.root = root;
    this.lines = lines;
  }

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

  PolicyException error(String path, String message) {
    return new PolicyException(file, line(path), (path.isEmpty() ? "" : path + ": ") + message);
  }

  static LocatedTree parse(String file, byte[] content) throws PolicyException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.createParser(content)) {
      if (p.nextToken() == null) {
        throw new PolicyException(file, 1, "the file is empty");
      }
      JsonNode root = read(file, p, "", lines);
      if (p.nextToken() != null) {
        throw new PolicyException(file, p.currentLocation().getLineNr(), "only one YAML document per file");
      }
      return new LocatedTree(file, root, lines);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new PolicyException(file, line, "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PolicyException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  private static JsonNode read(String file, JsonParser p, String path, Map<String, Integer> lines)
      throws IOException, PolicyException {
    lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT: {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          int line = p.currentTokenLocation().getLineNr();
          if (o.has(name)) {
            throw new PolicyException(file, line, child + ": duplicate key");
          }
          lines.put(child, line);
          p.nextToken();
          o.set(name, read(file, p, child, lines));
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
      case VALUE_NUMBER_FLOAT:
        return f.textNode(p.getText());
      case VALUE_TRUE:
        return f.booleanNode(true);
      case VALUE_FALSE:
        return f.booleanNode(false);
      case VALUE_NULL:
        return f.nullNode();
      default:
        throw new PolicyException(file, p.currentTokenLocation().getLineNr(), path + ": unsupported YAML " + p.currentToken());
    }
  }
}
