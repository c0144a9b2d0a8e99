package dev.palisade.gateway.keypool;

import java.time.Instant;
import java.util.Optional;

/** Key health as one line of text: {@code STATUS|until-ms|failures|reason}, for a shared store. */
public final class KeyStateCodec {

  private KeyStateCodec() {}

  public static String encode(KeyState s) {
    String until = s.until().equals(Instant.MAX) ? "max"
        : s.until().equals(Instant.MIN) ? "min" : Long.toString(s.until().toEpochMilli());
    return s.status().name() + "|" + until + "|" + s.consecutiveFailures() + "|" + s.reason();
  }

  /** Empty for text this codec did not write (another version's format): treated as healthy. */
  public static Optional<KeyState> decode(String text) {
    String[] parts = text.split("\\|", 4);
    if (parts.length != 4) {
      return Optional.empty();
    }
    try {
      Instant until = parts[1].equals("max") ? Instant.MAX
          : parts[1].equals("min") ? Instant.MIN : Instant.ofEpochMilli(Long.parseLong(parts[1]));
      return Optional.of(new KeyState(
          KeyStatus.valueOf(parts[0]), until, Integer.parseInt(parts[2]), parts[3]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A state that needs no record: available with a clean slate. */
  public static boolean isClean(KeyState s) {
    return s.status() == KeyStatus.AVAILABLE && s.consecutiveFailures() == 0;
  }
}
