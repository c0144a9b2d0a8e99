package dev.palisade.scanner.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rule set packed into one file, for air-gapped updates: {@code palisade-rulepack/1}, a JSON
 * document with the set's name, version, digest (the same digest reports carry) and every file of
 * the set, base64-encoded under its relative path:
 *
 * <pre>{"format":"palisade-rulepack/1","name":"palisade-default","version":"1.1.0",
 *  "digest":"sha256:...","files":{"ruleset.yaml":"...","rules/miners.yaml":"..."}}</pre>
 *
 * <p>Loading a pack ({@code --rules FILE.json}) recomputes the digest from the files and refuses a
 * pack whose declared digest differs: a damaged or edited pack never loads under its old identity.
 * Authenticity is a signature over the pack file (a Sigstore bundle next to it), checked with
 * {@code scanner verify-bundle}.
 */
public final class RulePack {

  public static final String FORMAT = "palisade-rulepack/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RulePack() {}

  /** Packs the rule set at {@code dirOrManifest} (which must have a manifest) into one JSON document. */
  public static byte[] pack(Path dirOrManifest) throws RuleSetException {
    Path p = dirOrManifest.toAbsolutePath().normalize();
    Path root = Files.isDirectory(p) ? p : p.getParent();
    RuleSet set = RuleSetLoader.load(p);
    if (set.version().equals("unversioned")) {
      throw new RuleSetException(p.toString(), "only a rule set with a ruleset.yaml manifest (name, version) can be packed");
    }
    ObjectNode doc = JSON.createObjectNode();
    doc.put("format", FORMAT);
    doc.put("name", set.name());
    doc.put("version", set.version());
    doc.put("digest", set.digest());
    ObjectNode files = doc.putObject("files");
    for (String relative : set.files()) {
      try {
        files.put(relative, Base64.getEncoder().encodeToString(Files.readAllBytes(root.resolve(relative))));
      } catch (IOException e) {
        throw new RuleSetException(relative, "cannot read: " + e.getMessage(), e);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new IllegalStateException("JSON of strings cannot fail to serialise", e);
    }
  }

  /** True when {@code bytes} look like a pack (JSON whose format is ours). */
  static boolean isPack(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.UTF_8).stripLeading();
    return head.startsWith("{") && head.contains(FORMAT);
  }

  /** The files of a pack, by relative path, after checking its shape. */
  static Map<String, byte[]> unpack(String where, byte[] bytes) throws RuleSetException {
    JsonNode doc;
    try {
      doc = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new RuleSetException(where, "not a valid rule pack: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(doc.path("format").asText())) {
      throw new RuleSetException(where, "format must be " + FORMAT);
    }
    JsonNode files = doc.path("files");
    if (!files.isObject() || files.isEmpty()) {
      throw new RuleSetException(where, "a rule pack needs a non-empty files object");
    }
    Map<String, byte[]> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("/") || e.getKey().contains("..") || !e.getValue().isTextual()) {
        throw new RuleSetException(where, "bad file entry " + e.getKey());
      }
      try {
        out.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
      } catch (IllegalArgumentException bad) {
        throw new RuleSetException(where, "file " + e.getKey() + " is not base64");
      }
    }
    return out;
  }

  /** The digest the pack declares, checked against the loaded set by the loader. */
  static String declaredDigest(byte[] bytes) throws RuleSetException {
    try {
      return JSON.readTree(bytes).path("digest").asText("");
    } catch (IOException e) {
      throw new RuleSetException("pack", "not valid JSON", e);
    }
  }
}
