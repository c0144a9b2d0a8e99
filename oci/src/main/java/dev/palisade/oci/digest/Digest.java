package dev.palisade.oci.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}. Only sha256 and sha512 are accepted: they are
 * the algorithms the OCI image spec registers, and anything else could not be verified anyway.
 */
public record Digest(String algorithm, String hex) {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  public Digest {
    if (!"sha256".equals(algorithm) && !"sha512".equals(algorithm)) {
      throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
    }
    int expected = "sha256".equals(algorithm) ? 64 : 128;
    if (hex == null || hex.length() != expected || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a " + algorithm + " digest needs " + expected + " lowercase hex characters");
    }
  }

  /** Parses {@code algorithm:hex}; IllegalArgumentException with the reason otherwise. */
  public static Digest parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    int colon = value.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("digest '" + shorten(value) + "' has no algorithm prefix");
    }
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  /** True if {@code value} parses as a digest. */
  public static boolean isDigest(String value) {
    try {
      parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static Digest sha256(byte[] content) {
    return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
  }

  /** A fresh message digest for this digest's algorithm. */
  public MessageDigest newMessageDigest() {
    return messageDigest("sha256".equals(algorithm) ? "SHA-256" : "SHA-512");
  }

  public static MessageDigest newSha256() {
    return messageDigest("SHA-256");
  }

  private static MessageDigest messageDigest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e);
    }
  }

  /** The form cosign uses for fallback tags: {@code sha256-<hex>}. */
  public String toTagForm() {
    return algorithm + "-" + hex;
  }

  /** First 12 hex characters, for display. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  private static String shorten(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return lower.length() > 80 ? lower.substring(0, 80) + "..." : lower;
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
