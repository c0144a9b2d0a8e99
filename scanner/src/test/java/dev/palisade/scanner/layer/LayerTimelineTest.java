package dev.palisade.scanner.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.detect.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTimelineTest {

  private static Finding finding(String path, int layer) {
    return new Finding("r", Severity.HIGH, "t", "layer", "sha256:x", layer, path, layer, List.of(), -1, 0, "");
  }

  @Test
  void fileDeletedByALaterWhiteoutKeepsItsFindingWithDeletedIn() {
    LayerTimeline timeline = new LayerTimeline();
    timeline.record(0, List.of(new LayerEntry("usr/bin/miner", EntryKind.FILE)));
    timeline.record(1, List.of(new LayerEntry("usr/bin/miner", EntryKind.WHITEOUT)));
    Finding placed = timeline.place(finding("usr/bin/miner", 0));
    assertEquals(0, placed.addedIn());
    assertEquals(1, placed.deletedIn());
  }

  @Test
  void modificationsAndTheStartOfThePathsLifeAreTracked() {
    LayerTimeline timeline = new LayerTimeline();
    timeline.record(0, List.of(new LayerEntry("etc/x", EntryKind.FILE)));
    timeline.record(1, List.of(new LayerEntry("etc/x", EntryKind.FILE)));
    timeline.record(2, List.of(new LayerEntry("etc/x", EntryKind.FILE)));
    Finding placed = timeline.place(finding("etc/x", 1));
    assertEquals(0, placed.addedIn());
    assertEquals(List.of(1, 2), placed.modifiedIn());
    assertEquals(-1, placed.deletedIn());
  }

  @Test
  void opaqueWhiteoutDeletesEverythingBelowTheDirectoryOnly() {
    LayerTimeline timeline = new LayerTimeline();
    timeline.record(0, List.of(new LayerEntry("opt/app/a", EntryKind.FILE), new LayerEntry("opt/app/sub/b", EntryKind.FILE),
        new LayerEntry("opt/apple", EntryKind.FILE)));
    timeline.record(1, List.of(new LayerEntry("opt/app", EntryKind.OPAQUE_WHITEOUT)));
    assertEquals(1, timeline.place(finding("opt/app/a", 0)).deletedIn());
    assertEquals(1, timeline.place(finding("opt/app/sub/b", 0)).deletedIn());
    assertEquals(-1, timeline.place(finding("opt/apple", 0)).deletedIn(), "a sibling with a common prefix survives");
  }

  @Test
  void readdedPathStartsANewLife() {
    LayerTimeline timeline = new LayerTimeline();
    timeline.record(0, List.of(new LayerEntry("x", EntryKind.FILE)));
    timeline.record(1, List.of(new LayerEntry("x", EntryKind.WHITEOUT)));
    timeline.record(2, List.of(new LayerEntry("x", EntryKind.FILE)));
    Finding second = timeline.place(finding("x", 2));
    assertEquals(2, second.addedIn());
    assertEquals(-1, second.deletedIn());
    assertEquals(1, timeline.place(finding("x", 0)).deletedIn());
  }

  @Test
  void findingInsideANestedArchiveFollowsTheArchiveFile() {
    LayerTimeline timeline = new LayerTimeline();
    timeline.record(0, List.of(new LayerEntry("app/lib/a.jar", EntryKind.FILE)));
    timeline.record(1, List.of(new LayerEntry("app/lib", EntryKind.WHITEOUT)));
    assertEquals(1, timeline.place(finding("app/lib/a.jar!/META-INF/x", 0)).deletedIn());
  }
}
