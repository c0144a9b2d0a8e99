package dev.palisade.signing.intoto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.bundle.BundleJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-toto Statement v1: subjects, a predicate type and the predicate. */
public record Statement(List<Subject> subjects, String predicateType, JsonNode predicate) {

  public static final String TYPE = "https://in-toto.io/Statement/v1";
  /** v0.1 statements are still accepted on read: cosign v2 attestations use them. */
  public static final String TYPE_V01 = "https://in-toto.io/Statement/v0.1";

  public Statement {
    subjects = List.copyOf(subjects);
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("a statement needs at least one subject");
    }
    if (predicateType == null || predicateType.isEmpty()) {
      throw new IllegalArgumentException("a statement needs a predicateType");
    }
    predicate = predicate == null ? BundleJson.MAPPER.createObjectNode() : predicate.deepCopy();
  }

  /** A statement about one image or blob digest. */
  public static Statement about(String name, Digest digest, String predicateType, JsonNode predicate) {
    return new Statement(List.of(new Subject(name, Map.of(digest.algorithm(), digest.hex()))), predicateType, predicate);
  }

  @Override
  public JsonNode predicate() {
    return predicate.deepCopy();
  }

  /** True when some subject carries exactly this digest. */
  public boolean coversDigest(Digest digest) {
    for (Subject subject : subjects) {
      if (digest.hex().equals(subject.digest().get(digest.algorithm()))) {
        return true;
      }
    }
    return false;
  }

  public byte[] toJson() {
    ObjectNode root = BundleJson.MAPPER.createObjectNode();
    root.put("_type", TYPE);
    ArrayNode subjectArray = root.putArray("subject");
    for (Subject subject : subjects) {
      ObjectNode node = subjectArray.addObject();
      node.put("name", subject.name());
      ObjectNode digests = node.putObject("digest");
      subject.digest().forEach(digests::put);
    }
    root.put("predicateType", predicateType);
    root.set("predicate", predicate);
    try {
      return BundleJson.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a statement failed", e);
    }
  }

  /** Parses a DSSE payload; {@code what} names it in errors. */
  public static Statement parse(byte[] json, String what) throws StatementException {
    JsonNode root;
    try {
      root = BundleJson.readTree(json);
    } catch (java.io.IOException e) {
      throw new StatementException(what + ": payload is not valid JSON");
    }
    if (!root.isObject()) {
      throw new StatementException(what + ": payload is not a JSON object");
    }
    String type = root.path("_type").asText("");
    if (!TYPE.equals(type) && !TYPE_V01.equals(type)) {
      throw new StatementException(what + ": payload is not an in-toto statement (_type '" + type + "')");
    }
    JsonNode predicateType = root.get("predicateType");
    if (predicateType == null || !predicateType.isTextual() || predicateType.textValue().isEmpty()) {
      throw new StatementException(what + ": statement has no predicateType");
    }
    JsonNode subjectArray = root.get("subject");
    if (subjectArray == null || !subjectArray.isArray() || subjectArray.isEmpty()) {
      throw new StatementException(what + ": statement has no subject");
    }
    List<Subject> subjects = new ArrayList<>();
    for (JsonNode node : subjectArray) {
      JsonNode digestNode = node.get("digest");
      if (digestNode == null || !digestNode.isObject() || digestNode.isEmpty()) {
        throw new StatementException(what + ": a subject has no digest");
      }
      Map<String, String> digests = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = digestNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!entry.getValue().isTextual()) {
          throw new StatementException(what + ": subject digest " + entry.getKey() + " is not a string");
        }
        digests.put(entry.getKey(), entry.getValue().textValue());
      }
      subjects.add(new Subject(node.path("name").asText(""), digests));
    }
    JsonNode predicate = root.get("predicate");
    return new Statement(subjects, predicateType.textValue(), predicate);
  }
}
