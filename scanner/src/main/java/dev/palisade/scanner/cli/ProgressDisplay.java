package dev.palisade.scanner.cli;

import dev.palisade.scanner.api.ScanEvent;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One updating line on stderr while layers are read: layers done, bytes read. Used only when a
 * person is watching (a terminal, no --quiet); in CI logs it would be noise.
 */
final class ProgressDisplay implements Consumer<ScanEvent> {

  private final PrintWriter err;
  private int layers;
  private int finished;
  private long total;
  private final java.util.Map<Integer, Long> read = new java.util.concurrent.ConcurrentHashMap<>();

  ProgressDisplay(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void accept(ScanEvent event) {
    switch (event.kind()) {
      case IMAGE_RESOLVED -> {
        layers = event.layerCount();
        total = event.totalBytes();
        finished = 0;
        read.clear();
      }
      case LAYER_PROGRESS -> read.put(event.layerIndex(), event.bytes());
      case LAYER_FINISHED -> {
        finished++;
        read.put(event.layerIndex(), event.totalBytes());
      }
      case LAYER_STARTED -> { }
    }
    long done = read.values().stream().mapToLong(Long::longValue).sum();
    err.printf(Locale.ROOT, "\rscanning %s: %d/%d layers, %.1f/%.1f MiB   ", event.platform(), finished, layers,
        done / 1048576.0, total / 1048576.0);
    if (event.kind() == ScanEvent.Kind.LAYER_FINISHED && finished == layers) {
      err.print("\r" + " ".repeat(72) + "\r");
    }
    err.flush();
  }
}
