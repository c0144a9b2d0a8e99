package dev.palisade.scanner.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.detect.Severity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SARIF 2.1.0 for GitHub code scanning: relative artifact URIs (paths inside the image, or {@code
 * image-config} for config findings), one rule entry per rule id with a security severity, stable
 * fingerprints, and incompleteness as tool notifications with {@code executionSuccessful=false}.
 */
public final class SarifReport {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SarifReport() {}

  public static String render(ScanReport report, String toolVersion) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "palisade-scanner");
    driver.put("semanticVersion", toolVersion);
    driver.put("informationUri", "https://github.com/palisade-dev/palisade");
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    for (Finding finding : report.findings()) {
      if (ruleIndex.containsKey(finding.ruleId())) {
        continue;
      }
      ruleIndex.put(finding.ruleId(), ruleIndex.size());
      ObjectNode rule = rules.addObject();
      rule.put("id", finding.ruleId());
      rule.put("name", finding.ruleId());
      rule.putObject("shortDescription").put("text", finding.title());
      rule.putObject("defaultConfiguration").put("level", level(finding.severity()));
      ObjectNode properties = rule.putObject("properties");
      properties.put("security-severity", securitySeverity(finding.severity()));
      properties.putArray("tags").add("security").add("supply-chain");
    }
    ArrayNode results = run.putArray("results");
    for (Finding finding : report.findings()) {
      ObjectNode result = results.addObject();
      result.put("ruleId", finding.ruleId());
      result.put("ruleIndex", ruleIndex.get(finding.ruleId()));
      result.put("level", level(finding.severity()));
      result.putObject("message").put("text", message(finding));
      ObjectNode location = result.putArray("locations").addObject();
      ObjectNode physical = location.putObject("physicalLocation");
      physical.putObject("artifactLocation").put("uri", uri(finding));
      if (finding.offset() >= 0) {
        physical.putObject("region").put("byteOffset", finding.offset()).put("byteLength", 1);
      }
      if (finding.layerDigest() != null) {
        location.putArray("logicalLocations").addObject()
            .put("name", "layer " + finding.layerIndex())
            .put("fullyQualifiedName", finding.layerDigest())
            .put("kind", "module");
      }
      result.putObject("partialFingerprints").put("palisadeFinding/v1", fingerprint(finding));
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", report.allIncomplete().isEmpty());
    ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
    for (Incomplete incomplete : report.allIncomplete()) {
      ObjectNode notification = notifications.addObject();
      notification.put("level", "error");
      notification.putObject("message").put("text",
          "incomplete (" + incomplete.reason() + ") at " + incomplete.location() + ": " + incomplete.detail());
    }
    ObjectNode properties = run.putObject("properties");
    properties.put("image", report.image());
    properties.put("imageDigest", report.imageDigest());
    properties.put("status", report.status().jsonName());
    properties.put("rulesVersion", report.rules().version());
    properties.put("rulesDigest", report.rules().digest());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a SARIF tree", e);
    }
  }

  /** SARIF wants a relative URI: the path inside the image, percent-encoded where needed. */
  static String uri(Finding finding) {
    if (finding.source().equals("config")) {
      return "image-config";
    }
    String path = finding.path().replace("!/", "/");
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '/' || c == '.' || c == '-' || c == '_' || c == '~';
      out.append(safe ? String.valueOf((char) c) : String.format("%%%02X", c));
    }
    String uri = out.toString();
    while (uri.startsWith("/")) {
      uri = uri.substring(1);
    }
    return uri.isEmpty() ? "image-root" : uri;
  }

  private static String message(Finding finding) {
    StringBuilder text = new StringBuilder(finding.title());
    if (finding.layerIndex() >= 0) {
      text.append(" in layer ").append(finding.layerIndex()).append(" at /").append(finding.path());
    } else {
      text.append(" in ").append(finding.path());
    }
    if (finding.deletedIn() >= 0) {
      text.append(" (deleted in layer ").append(finding.deletedIn()).append(", still in the image)");
    }
    if (!finding.evidence().isEmpty()) {
      text.append(": ").append(finding.evidence());
    }
    return text.toString();
  }

  private static String fingerprint(Finding finding) {
    String key = finding.ruleId() + "|" + finding.source() + "|" + finding.layerDigest() + "|" + finding.path()
        + "|" + finding.offset();
    return Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
  }

  static String level(Severity severity) {
    return switch (severity) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  static String securitySeverity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "9.5";
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "1.0";
    };
  }
}
