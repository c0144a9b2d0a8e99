package dev.palisade.scanner.corpus;

import java.util.Set;

/**
 * One labelled corpus image.
 *
 * @param name unique, also the tag in the corpus layout
 * @param category what it carries: miner, credential-stealer, startup-hook, persistence,
 *     downloader, obfuscation, secret; {@code clean} for images that must give no finding
 * @param evasion how it hides ({@code none}, deleted-later-layer, zstd, jar-in-jar, base64-wrapped,
 *     hex-wrapped, renamed-binary, docker-archive, multi-platform-one-bad, config-only,
 *     hardlink-later-layer)
 * @param expectedRules rule ids the scan must report (all of them); empty for clean images
 * @param imageSpec what {@code scanner scan} is given (oci:DIR:tag, docker-archive:FILE, ...)
 */
record CorpusImage(String name, String category, String evasion, Set<String> expectedRules, String imageSpec) {

  static final Set<String> CATEGORIES =
      Set.of("miner", "credential-stealer", "startup-hook", "persistence", "downloader", "obfuscation", "secret");

  CorpusImage {
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException("bad corpus image name: " + name);
    }
    if (!CATEGORIES.contains(category) && !category.equals("clean")) {
      throw new IllegalArgumentException(name + ": unknown category " + category);
    }
    expectedRules = Set.copyOf(expectedRules);
    if (category.equals("clean") != expectedRules.isEmpty()) {
      throw new IllegalArgumentException(name + ": clean images expect no rule, the others at least one");
    }
    if (imageSpec == null || imageSpec.isBlank()) {
      throw new IllegalArgumentException(name + ": no image");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
