package dev.palisade.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what other replicas (or Redis) make true asynchronously, up to a deadline. */
public final class Eventually {

  private static final Duration DEFAULT = Duration.ofSeconds(5);

  private Eventually() {}

  public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    eventually(what, DEFAULT, condition);
  }

  public static void eventually(String what, Duration within, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
