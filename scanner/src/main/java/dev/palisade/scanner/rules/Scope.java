package dev.palisade.scanner.rules;

/** What a rule looks at. */
public enum Scope {
  /** File content inside layers. */
  FILES,
  /** Image config values (Entrypoint, Cmd, Env, Labels, history created_by). */
  CONFIG
}
