package dev.palisade.gateway.keypool;

/** Health of one provider key. */
public enum KeyStatus {
  AVAILABLE,
  /** Rested after a 429 or 5xx; usable again when the cooldown ends. */
  COOLING_DOWN,
  /** Rejected (401/403) or failed too often; usable after its block ends or a good probe. */
  BLOCKED
}
