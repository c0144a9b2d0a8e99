package dev.palisade.gateway.keypool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Key health for a single gateway instance. */
public final class InMemoryKeyStateStore implements KeyStateStore {

  private final ConcurrentHashMap<String, KeyState> states = new ConcurrentHashMap<>();

  @Override
  public KeyState get(String provider, String keyId) {
    return states.getOrDefault(provider + "/" + keyId, KeyState.HEALTHY);
  }

  @Override
  public Transition update(String provider, String keyId, UnaryOperator<KeyState> change) {
    KeyState[] before = new KeyState[1];
    KeyState after =
        states.compute(
            provider + "/" + keyId,
            (k, old) -> {
              before[0] = old == null ? KeyState.HEALTHY : old;
              return change.apply(before[0]);
            });
    return new Transition(before[0], after);
  }
}
