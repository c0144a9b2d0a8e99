package dev.palisade.scanner.layer;

import dev.palisade.scanner.api.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The life of every path across an image's layers: which layer added it, which rewrote it, which
 * deleted it (a whiteout, or an opaque whiteout of a parent directory). Findings are placed on it
 * after all layers are scanned, so a miner added in layer 1 and deleted in layer 2 is still
 * reported, with {@code deletedIn = 2}: deleting a file does not remove it from the image.
 */
public final class LayerTimeline {

  /** Path to the layer indexes where something happened to it, in order; negative = deleted in. */
  private final NavigableMap<String, List<Integer>> events = new TreeMap<>();

  /** Records the entries of layer {@code index}; layers must be recorded in order. */
  public void record(int index, List<LayerEntry> entries) {
    for (LayerEntry entry : entries) {
      switch (entry.kind()) {
        case WHITEOUT -> {
          deleted(entry.path(), index);
          // A whiteout of a directory removes everything under it too.
          for (String child : new ArrayList<>(children(entry.path()).keySet())) {
            deleted(child, index);
          }
        }
        case OPAQUE_WHITEOUT -> {
          for (String child : new ArrayList<>(children(entry.path()).keySet())) {
            deleted(child, index);
          }
        }
        case DIRECTORY -> { }
        default -> events.computeIfAbsent(entry.path(), p -> new ArrayList<>()).add(index);
      }
    }
  }

  private NavigableMap<String, List<Integer>> children(String dir) {
    if (dir.isEmpty()) {
      return events;
    }
    return events.subMap(dir + "/", true, dir + "0", false); // '0' follows '/' in ASCII
  }

  private void deleted(String path, int index) {
    List<Integer> history = events.get(path);
    // Only a path that exists when the whiteout comes can be deleted by it.
    if (history != null && !history.isEmpty() && history.get(history.size() - 1) >= 0
        && history.get(history.size() - 1) < index) {
      history.add(-index - 1);
    }
  }

  /** Fills in addedIn, modifiedIn and deletedIn for a finding in a layer file. */
  public Finding place(Finding finding) {
    if (finding.layerIndex() < 0) {
      return finding;
    }
    String path = finding.path();
    int bang = path.indexOf("!/");
    String filePath = bang < 0 ? path : path.substring(0, bang);
    List<Integer> history = events.get(filePath);
    if (history == null) {
      return finding;
    }
    int layer = finding.layerIndex();
    int position = history.indexOf(layer);
    if (position < 0) {
      return finding;
    }
    // This life of the path began after the last deletion before the finding's layer.
    int start = position;
    while (start > 0 && history.get(start - 1) >= 0) {
      start--;
    }
    int addedIn = history.get(start);
    int deletedIn = -1;
    List<Integer> modifiedIn = new ArrayList<>();
    for (int i = start + 1; i < history.size(); i++) {
      int event = history.get(i);
      if (event < 0) {
        deletedIn = -event - 1;
        break;
      }
      modifiedIn.add(event);
    }
    return finding.withHistory(addedIn, modifiedIn, deletedIn);
  }

  /** How many paths the timeline tracks. */
  public int size() {
    return events.size();
  }

  Map<String, List<Integer>> view() {
    return events;
  }
}
