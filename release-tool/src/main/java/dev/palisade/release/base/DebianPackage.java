package dev.palisade.release.base;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One pinned Debian package: the exact file (by SHA-256) that goes into the base image.
 *
 * @param path where the .deb lives below a mirror root, e.g. {@code debian/pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb}
 */
public record DebianPackage(String name, String version, String architecture, String sha256, long size, String path) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public DebianPackage {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(architecture, "architecture");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Debian package name: " + name);
    }
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException(name + ": sha256 must be 64 lowercase hex digits");
    }
    if (size <= 0) {
      throw new IllegalArgumentException(name + ": size must be positive");
    }
    if (path == null || path.startsWith("/") || path.contains("..") || !path.endsWith(".deb")) {
      throw new IllegalArgumentException(name + ": path must be a relative .deb path below a mirror root");
    }
  }

  public byte[] sha256Bytes() {
    return HexFormat.of().parseHex(sha256);
  }

  /** {@code pkg:deb/debian/NAME@VERSION?arch=ARCH}, the package URL the SBOM uses. */
  public String purl() {
    return "pkg:deb/debian/" + name + "@" + version.replace(":", "%3A") + "?arch=" + architecture;
  }
}
