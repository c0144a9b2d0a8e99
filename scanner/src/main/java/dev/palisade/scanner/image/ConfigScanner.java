package dev.palisade.scanner.image;

import dev.palisade.oci.manifest.ImageConfig;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.detect.Detection;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.detect.TextContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scans the image config: what runs (Entrypoint, Cmd), its environment, labels, and every build
 * step's {@code created_by}, where miners often show up as {@code wget ... xmrig}.
 */
final class ConfigScanner {

  private final Detector detector;

  ConfigScanner(Detector detector) {
    this.detector = detector;
  }

  List<Finding> scan(ImageConfig config) {
    List<TextContext> texts = new ArrayList<>();
    if (!config.entrypoint().isEmpty()) {
      texts.add(new TextContext("config.Entrypoint", String.join(" ", config.entrypoint())));
    }
    if (!config.cmd().isEmpty()) {
      texts.add(new TextContext("config.Cmd", String.join(" ", config.cmd())));
    }
    if (!config.entrypoint().isEmpty() && !config.cmd().isEmpty()) {
      // What actually runs is the two together; a pattern may straddle them.
      List<String> argv = new ArrayList<>(config.entrypoint());
      argv.addAll(config.cmd());
      texts.add(new TextContext("config.Entrypoint+Cmd", String.join(" ", argv)));
    }
    for (int i = 0; i < config.env().size(); i++) {
      texts.add(new TextContext("config.Env[" + i + "]", config.env().get(i)));
    }
    for (Map.Entry<String, String> label : config.labels().entrySet()) {
      texts.add(new TextContext("config.Labels[" + label.getKey() + "]", label.getKey() + "=" + label.getValue()));
    }
    for (int i = 0; i < config.history().size(); i++) {
      String createdBy = config.history().get(i).createdBy();
      if (createdBy != null && !createdBy.isBlank()) {
        texts.add(new TextContext("history[" + i + "].created_by", createdBy));
      }
    }
    List<Finding> findings = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (TextContext text : texts) {
      for (Detection detection : detector.scanText(text)) {
        // Entrypoint+Cmd repeats what Entrypoint or Cmd alone may already have shown.
        if (!seen.add(detection.ruleId() + "\u0000" + detection.evidence())) {
          continue;
        }
        findings.add(new Finding(detection.ruleId(), detection.severity(), detection.title(), "config", null, -1,
            text.field(), -1, List.of(), -1, -1, detection.evidence()));
      }
    }
    return findings;
  }
}
