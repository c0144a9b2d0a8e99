package dev.palisade.scanner.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.LayerSummary;
import dev.palisade.scanner.api.PlatformReport;
import dev.palisade.scanner.api.ScanReport;
import java.util.Locale;

/**
 * The {@code --format json} report. Its schema is documented in the README and versioned by {@code
 * schemaVersion}; fields are only ever added within a version.
 */
public final class JsonReport {

  public static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(ScanReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("image", report.image());
    root.put("imageDigest", report.imageDigest());
    root.put("syntheticDigest", report.syntheticDigest());
    ObjectNode rules = root.putObject("rules");
    rules.put("name", report.rules().name());
    rules.put("version", report.rules().version());
    rules.put("digest", report.rules().digest());
    rules.put("count", report.rules().ruleCount());
    root.put("status", report.status().jsonName());
    root.put("bytesScanned", report.bytesScanned());
    root.put("findingCount", report.findings().size());
    ArrayNode platforms = root.putArray("platforms");
    for (PlatformReport platform : report.platforms()) {
      ObjectNode node = platforms.addObject();
      node.put("platform", platform.platform());
      node.put("manifestDigest", platform.manifestDigest());
      node.put("configDigest", platform.configDigest());
      node.put("status", platform.status().jsonName());
      ArrayNode layers = node.putArray("layers");
      for (LayerSummary layer : platform.layers()) {
        ObjectNode l = layers.addObject();
        l.put("index", layer.index());
        l.put("digest", layer.digest());
        l.put("mediaType", layer.mediaType());
        l.put("compression", layer.compression());
        l.put("compressedBytes", layer.compressedBytes());
        l.put("uncompressedBytes", layer.uncompressedBytes());
        l.put("entries", layer.entries());
      }
      ArrayNode findings = node.putArray("findings");
      for (Finding finding : platform.findings()) {
        ObjectNode f = findings.addObject();
        f.put("ruleId", finding.ruleId());
        f.put("severity", finding.severity().name().toLowerCase(Locale.ROOT));
        f.put("title", finding.title());
        f.put("source", finding.source());
        f.put("imageDigest", report.imageDigest());
        f.put("manifestDigest", platform.manifestDigest());
        if (finding.layerDigest() != null) {
          f.put("layerDigest", finding.layerDigest());
          f.put("layerIndex", finding.layerIndex());
        }
        f.put("path", finding.path());
        if (finding.addedIn() >= 0) {
          f.put("addedIn", finding.addedIn());
        }
        if (!finding.modifiedIn().isEmpty()) {
          ArrayNode modified = f.putArray("modifiedIn");
          finding.modifiedIn().forEach(modified::add);
        }
        if (finding.deletedIn() >= 0) {
          f.put("deletedIn", finding.deletedIn());
        }
        if (finding.offset() >= 0) {
          f.put("offset", finding.offset());
        }
        f.put("evidence", finding.evidence());
      }
      putIncomplete(node.putArray("incomplete"), platform.incomplete());
    }
    putIncomplete(root.putArray("incomplete"), report.incomplete());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a report tree", e);
    }
  }

  private static void putIncomplete(ArrayNode array, java.util.List<Incomplete> incomplete) {
    for (Incomplete item : incomplete) {
      ObjectNode node = array.addObject();
      node.put("reason", item.reason());
      node.put("location", item.location());
      node.put("detail", item.detail());
    }
  }
}
