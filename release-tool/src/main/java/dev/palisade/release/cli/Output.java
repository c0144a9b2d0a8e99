package dev.palisade.release.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.palisade.release.ReleaseEvent;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** How commands write: progress to stderr (quiet with --json), results to stdout. */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  static Consumer<ReleaseEvent> progress(PrintWriter err, boolean quiet) {
    return e -> {
      if (!quiet) {
        err.println("[" + e.stage() + "] " + e.message());
        err.flush();
      }
    };
  }
}
