package dev.palisade.scanner.detect;

import java.util.List;

/**
 * A compiled rule set. Thread-safe: layers are scanned in parallel and each thread opens its own
 * sessions.
 */
public interface Detector {

  /** Starts matching one file's content. */
  MatchSession open(FileContext file);

  /** Scans one image-config value (Entrypoint, Cmd, Env, Labels, history) with rules and shell heuristics. */
  List<Detection> scanText(TextContext text);

  /** Name, version and digest of the rule set, carried by every report. */
  RuleSetInfo info();
}
