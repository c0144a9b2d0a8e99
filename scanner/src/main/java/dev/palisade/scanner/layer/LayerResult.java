package dev.palisade.scanner.layer;

import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.LayerSummary;
import java.util.List;

/**
 * What scanning one layer produced. Findings carry no history yet: whether a later layer deleted
 * the file is only known once all layers are in (see {@link LayerTimeline}).
 */
public record LayerResult(LayerSummary summary, List<LayerEntry> entries, List<Finding> findings,
    List<Incomplete> incomplete, long droppedFindings) {

  public LayerResult {
    entries = List.copyOf(entries);
    findings = List.copyOf(findings);
    incomplete = List.copyOf(incomplete);
  }
}
