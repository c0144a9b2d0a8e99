package dev.palisade.gateway.keypool;

import java.util.function.UnaryOperator;

/**
 * Where key health lives. In memory for one instance; a shared store (Redis, issue 8) lets every
 * replica see a block. The interface is synchronous on purpose: the request path reads it on
 * every call, so a shared implementation keeps a local mirror that it updates from the store.
 */
public interface KeyStateStore {

  KeyState get(String provider, String keyId);

  /** Applies {@code change} atomically and returns the state before and after it. */
  Transition update(String provider, String keyId, UnaryOperator<KeyState> change);

  record Transition(KeyState before, KeyState after) {}
}
