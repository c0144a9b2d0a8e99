package dev.palisade.scanner.match;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Wallet address formats a rule can ask for. An address only counts when its checksum holds: a
 * base58 run of the right length is common in binaries and bitcode, a valid checksum by chance is
 * a 1 in 2^32 event.
 */
public enum WalletKind {
  /** Monero mainnet: standard (prefix 18), integrated (19) and subaddress (42); Keccak-256 checksum. */
  MONERO(95, 106, "48", Set.of(18L, 19L, 42L)),
  /** Wownero mainnet: standard (4146), integrated (6810), subaddress (12208); the same CryptoNote layout. */
  WOWNERO(97, 108, "WS", Set.of(4146L, 6810L, 12208L)),
  /** Bitcoin legacy base58check: P2PKH (version 0) and P2SH (5), double SHA-256 checksum. Bech32 is not covered. */
  BITCOIN(26, 35, "13", Set.of(0L, 5L));

  private final int minLength;
  private final int maxLength;
  private final String firstChars;
  private final Set<Long> prefixes;

  WalletKind(int minLength, int maxLength, String firstChars, Set<Long> prefixes) {
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.firstChars = firstChars;
    this.prefixes = prefixes;
  }

  public int minLength() {
    return minLength;
  }

  public int maxLength() {
    return maxLength;
  }

  /** The name rule files use: {@code monero}, {@code wownero}, {@code bitcoin}. */
  public String ruleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WalletKind fromRuleName(String name) {
    for (WalletKind k : values()) {
      if (k.ruleName().equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** Cheap pre-checks (length, first character) before any decoding. */
  public boolean plausible(CharSequence s) {
    return s.length() >= minLength && s.length() <= maxLength && firstChars.indexOf(s.charAt(0)) >= 0;
  }

  /** True when {@code s} is an address of this kind with a valid checksum. */
  public boolean isValid(CharSequence s) {
    if (!plausible(s)) {
      return false;
    }
    return this == BITCOIN ? validBase58Check(s) : validCryptoNote(s);
  }

  private boolean validCryptoNote(CharSequence s) {
    byte[] raw = Base58.decodeCryptoNote(s);
    if (raw == null || raw.length < 69) {
      return false;
    }
    int body = raw.length - 4;
    byte[] hash = Keccak.keccak256(raw, 0, body);
    for (int i = 0; i < 4; i++) {
      if (hash[i] != raw[body + i]) {
        return false;
      }
    }
    long prefix = 0;
    int shift = 0;
    int i = 0;
    for (; i < raw.length && i < 9; i++) {
      prefix |= (raw[i] & 0x7fL) << shift;
      shift += 7;
      if ((raw[i] & 0x80) == 0) {
        break;
      }
    }
    int prefixLength = i + 1;
    int payload = body - prefixLength; // 64 key bytes, plus 8 for an integrated address
    return prefixes.contains(prefix) && (payload == 64 || payload == 72);
  }

  private boolean validBase58Check(CharSequence s) {
    byte[] raw = Base58.decodeBitcoin(s);
    if (raw == null || raw.length != 25 || !prefixes.contains((long) (raw[0] & 0xff))) {
      return false;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(raw, 0, 21);
      byte[] twice = sha.digest(sha.digest());
      return Arrays.equals(twice, 0, 4, raw, 21, 25);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
