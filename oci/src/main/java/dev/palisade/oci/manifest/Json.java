package dev.palisade.oci.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one strict JSON reader for registry documents. Duplicate keys are refused: two parsers that
 * pick different duplicates would see different manifests behind one digest.
 */
public final class Json {

  /** Manifests and configs larger than this are refused before parsing (OCI suggests 4 MiB). */
  public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_DOCUMENT_BYTES).build());
    return mapper;
  }

  /** Parses a document to a tree; {@code what} names it in errors. */
  public static JsonNode parse(byte[] bytes, String what) throws ManifestFormatException {
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new ManifestFormatException(
          what, bytes.length + " bytes exceeds the limit of " + MAX_DOCUMENT_BYTES);
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ManifestFormatException(what, "not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ManifestFormatException(what, "not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
