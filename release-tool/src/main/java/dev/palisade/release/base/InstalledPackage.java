package dev.palisade.release.base;

import java.util.List;
import java.util.Objects;

/**
 * A package unpacked into the base: its pin, its control paragraph (for the dpkg status file the
 * SBOM and scanners read) and the paths it installed.
 */
public record InstalledPackage(DebianPackage pin, String control, List<String> files) {
  public InstalledPackage {
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(control, "control");
    files = List.copyOf(files);
  }
}
