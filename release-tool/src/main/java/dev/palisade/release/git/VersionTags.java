package dev.palisade.release.git;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which tags are release tags ({@code v1.2.3}, {@code v1.2.3-rc.1}) and what version they name. */
public final class VersionTags {

  private static final Pattern RELEASE_TAG =
      Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)(-[0-9A-Za-z.-]+)?");

  private VersionTags() {}

  /** The version a tag names, or empty when the tag is not a release tag. */
  public static Optional<String> versionOf(String tagName) {
    Matcher m = RELEASE_TAG.matcher(tagName);
    return m.matches() ? Optional.of(tagName.substring(1)) : Optional.empty();
  }

  /**
   * Orders release tags by version, pre-releases before their release; when HEAD carries several,
   * the highest wins (e.g. {@code v1.2.3-rc.2} and then {@code v1.2.3} on the same commit).
   */
  public static Comparator<String> byVersion() {
    return Comparator.<String>comparingLong(t -> part(t, 1))
        .thenComparingLong(t -> part(t, 2))
        .thenComparingLong(t -> part(t, 3))
        .thenComparing(t -> part4(t) == null ? 1 : 0)
        .thenComparing(t -> part4(t) == null ? "" : part4(t));
  }

  private static long part(String tag, int group) {
    Matcher m = RELEASE_TAG.matcher(tag);
    return m.matches() ? Long.parseLong(m.group(group)) : -1;
  }

  private static String part4(String tag) {
    Matcher m = RELEASE_TAG.matcher(tag);
    return m.matches() ? m.group(4) : null;
  }
}
