package dev.palisade.release.git;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the release is built from, read from git once and then used everywhere: the version (from
 * the tag on HEAD), the commit, and the commit time, which stands in for "now" in every artifact so
 * that a rebuild of the same commit gives the same bytes.
 *
 * @param version {@code 1.2.3} for tag {@code v1.2.3}; for a snapshot, a version that says so
 * @param tag the tag the version came from, or null for a snapshot
 * @param commit full 40-hex commit id of HEAD
 * @param commitTime committer time of HEAD
 * @param snapshot true when built without a version tag (--snapshot)
 */
public record GitFacts(String version, String tag, String commit, Instant commitTime, boolean snapshot) {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  public GitFacts {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commitTime, "commitTime");
    if (commit == null || !COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException("commit must be 40 lowercase hex digits: " + commit);
    }
    if (snapshot != (tag == null)) {
      throw new IllegalArgumentException("a snapshot has no tag and a tagged build is not a snapshot");
    }
    if (version.isBlank()) {
      throw new IllegalArgumentException("version must not be blank");
    }
  }

  public String shortCommit() {
    return commit.substring(0, 12);
  }
}
