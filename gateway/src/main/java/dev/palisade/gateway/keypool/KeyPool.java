package dev.palisade.gateway.keypool;

import dev.palisade.gateway.config.KeyPoolPolicy;
import dev.palisade.gateway.config.ProviderKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API keys of one provider. Requests are spread round-robin over the available keys; a key
 * that fails is rested or blocked as {@link KeyPoolPolicy} says, and comes back on its own when
 * its time is up or when a probe succeeds.
 */
public final class KeyPool {

  private final String provider;
  private final List<ProviderKey> keys;
  private final KeyPoolPolicy policy;
  private final KeyStateStore store;
  private final KeyStateListener listener;
  private final Clock clock;
  private final AtomicInteger next = new AtomicInteger();

  public KeyPool(
      String provider,
      List<ProviderKey> keys,
      KeyPoolPolicy policy,
      KeyStateStore store,
      KeyStateListener listener,
      Clock clock) {
    this.provider = provider;
    this.keys = List.copyOf(keys);
    this.policy = policy;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
  }

  public String provider() {
    return provider;
  }

  public List<ProviderKey> keys() {
    return keys;
  }

  public KeyPoolPolicy policy() {
    return policy;
  }

  /** The next available key not in {@code alreadyTried}, or empty if none is. */
  public Optional<ProviderKey> acquire(Set<String> alreadyTried) {
    Instant now = clock.instant();
    int start = Math.floorMod(next.getAndIncrement(), keys.size());
    for (int i = 0; i < keys.size(); i++) {
      ProviderKey key = keys.get((start + i) % keys.size());
      if (alreadyTried.contains(key.id())) {
        continue;
      }
      KeyState state = store.get(provider, key.id());
      if (state.effectiveStatus(now) == KeyStatus.AVAILABLE) {
        if (state.status() != KeyStatus.AVAILABLE) {
          // The rest period ran out: record the restore so logs and metrics show it.
          transition(key.id(), s -> s.effectiveStatus(now) == KeyStatus.AVAILABLE
              ? new KeyState(KeyStatus.AVAILABLE, Instant.MIN, s.consecutiveFailures(), "")
              : s);
        }
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  public void reportSuccess(String keyId) {
    KeyState current = store.get(provider, keyId);
    if (current.status() == KeyStatus.AVAILABLE && current.consecutiveFailures() == 0) {
      return; // the common case: no write, no contention
    }
    transition(keyId, s -> KeyState.HEALTHY);
  }

  public void reportFailure(String keyId, Failure failure) {
    Instant now = clock.instant();
    transition(keyId, s -> next(s, failure, now));
  }

  /** Keys that only a probe (or their block's end) can bring back. */
  public List<ProviderKey> blockedKeys() {
    Instant now = clock.instant();
    return keys.stream()
        .filter(k -> store.get(provider, k.id()).effectiveStatus(now) == KeyStatus.BLOCKED)
        .toList();
  }

  public KeyStatus status(String keyId) {
    return store.get(provider, keyId).effectiveStatus(clock.instant());
  }

  private KeyState next(KeyState s, Failure failure, Instant now) {
    if (s.effectiveStatus(now) == KeyStatus.BLOCKED) {
      // Requests sent before the block keep failing for a while; they say nothing new about the
      // key. Counting them would extend the block with every straggler and log each as a block.
      return s;
    }
    if (failure instanceof Failure.Rejected r) {
      return new KeyState(KeyStatus.BLOCKED, Instant.MAX, s.consecutiveFailures() + 1,
          "upstream answered " + r.status());
    }
    Duration retryAfter =
        failure instanceof Failure.RateLimited rl ? rl.retryAfter()
            : ((Failure.Unhealthy) failure).retryAfter();
    String what =
        failure instanceof Failure.RateLimited ? "429" : ((Failure.Unhealthy) failure).what();
    int failures = s.consecutiveFailures() + 1;
    if (failures >= policy.blockAfterFailures()) {
      Duration rest = max(policy.blockDuration(), retryAfter);
      return new KeyState(KeyStatus.BLOCKED, now.plus(rest), failures,
          failures + " consecutive failures, last " + what);
    }
    Duration rest = retryAfter != null ? retryAfter : policy.cooldown();
    return new KeyState(KeyStatus.COOLING_DOWN, now.plus(rest), failures, what);
  }

  private static Duration max(Duration a, Duration b) {
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  private void transition(String keyId, java.util.function.UnaryOperator<KeyState> change) {
    KeyStateStore.Transition t = store.update(provider, keyId, change);
    // Only a change of status is an event (metric, log line); a new reason within one status is not.
    if (t.before().status() != t.after().status()) {
      listener.changed(provider, keyId, t.before(), t.after());
    }
  }
}
