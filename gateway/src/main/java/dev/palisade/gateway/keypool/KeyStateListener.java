package dev.palisade.gateway.keypool;

/** Told about every status change of a key (for logs and metrics; never given the key itself). */
@FunctionalInterface
public interface KeyStateListener {
  void changed(String provider, String keyId, KeyState before, KeyState after);
}
