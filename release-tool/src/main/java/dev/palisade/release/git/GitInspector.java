package dev.palisade.release.git;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Reads {@link GitFacts} from a working tree with JGit (no git binary needed). */
public final class GitInspector {

  /** How many dirty files a refusal lists before it summarises the rest. */
  static final int LISTED_FILES = 50;

  private static final DateTimeFormatter SNAPSHOT_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private GitInspector() {}

  /**
   * @param workTree any directory inside the working tree
   * @param allowSnapshot build without a release tag on HEAD (the version then says "snapshot")
   */
  public static GitFacts inspect(Path workTree, boolean allowSnapshot) throws ReleaseException {
    return inspect(workTree, allowSnapshot, null);
  }

  /**
   * As {@link #inspect(Path, boolean)}; with {@code trust}, the release tag must also be an annotated
   * tag whose SSH signature verifies with a key its allowed-signers file allows for the tagger, or
   * whose OpenPGP signature verifies with a valid key in its keyring.
   */
  public static GitFacts inspect(Path workTree, boolean allowSnapshot, TagTrust trust) throws ReleaseException {
    try (Repository repo = open(workTree); Git git = new Git(repo)) {
      ObjectId head = repo.resolve(Constants.HEAD);
      if (head == null) {
        throw new ReleaseException(Failure.GIT_STATE, "the repository at " + workTree + " has no commit yet");
      }
      refuseDirty(git);
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repo)) {
        commit = walk.parseCommit(head);
      }
      var commitTime = commit.getCommitterIdent().getWhenAsInstant();
      String tag = releaseTagOn(repo, head);
      if (tag == null) {
        if (!allowSnapshot) {
          throw new ReleaseException(Failure.GIT_STATE, "HEAD (" + head.name().substring(0, 12)
              + ") carries no release tag (vMAJOR.MINOR.PATCH); tag it, or pass --snapshot for a test build");
        }
        String version = "0.0.0-snapshot." + SNAPSHOT_STAMP.format(commitTime) + "." + head.name().substring(0, 12);
        return new GitFacts(version, null, head.name(), commitTime, true);
      }
      if (trust != null) {
        verifySignedTag(repo, tag, trust);
      }
      return new GitFacts(VersionTags.versionOf(tag).orElseThrow(), tag, head.name(), commitTime, false);
    } catch (IOException e) {
      throw new ReleaseException(Failure.GIT_STATE, "cannot read git repository at " + workTree + ": " + e.getMessage(), e);
    }
  }

  private static Repository open(Path workTree) throws IOException, ReleaseException {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workTree.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      throw new ReleaseException(Failure.GIT_STATE, workTree + " is not inside a git working tree");
    }
    return builder.setMustExist(true).build();
  }

  /** Uncommitted changes to tracked files would make the image differ from the commit it names. */
  private static void refuseDirty(Git git) throws ReleaseException {
    Status status;
    try {
      status = git.status().call();
    } catch (GitAPIException e) {
      throw new ReleaseException(Failure.GIT_STATE, "cannot read git status: " + e.getMessage(), e);
    }
    Set<String> dirty = new TreeSet<>(status.getUncommittedChanges());
    if (dirty.isEmpty()) {
      return;
    }
    List<String> shown = dirty.stream().limit(LISTED_FILES).toList();
    StringBuilder message = new StringBuilder("the working tree has uncommitted changes to tracked files; commit or"
        + " stash them first:");
    shown.forEach(f -> message.append("\n  ").append(f));
    if (dirty.size() > shown.size()) {
      message.append("\n  ... and ").append(dirty.size() - shown.size()).append(" more");
    }
    throw new ReleaseException(Failure.GIT_STATE, message.toString());
  }

  /** The highest release tag whose target (peeled through annotated tags) is HEAD. */
  private static String releaseTagOn(Repository repo, ObjectId head) throws IOException {
    TreeSet<String> onHead = new TreeSet<>(VersionTags.byVersion());
    for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
      String name = ref.getName().substring(Constants.R_TAGS.length());
      if (VersionTags.versionOf(name).isEmpty()) {
        continue;
      }
      Ref peeled = repo.getRefDatabase().peel(ref);
      ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
      if (head.equals(target)) {
        onHead.add(name);
      }
    }
    return onHead.isEmpty() ? null : onHead.last();
  }

  /**
   * The tag must be annotated and signed. Its signature's format picks the check: SSH against the
   * allowed-signers file with JGit's SSH verifier (from org.eclipse.jgit.ssh.apache, found through
   * ServiceLoader: a key listed for the tagger's email, namespace "git", valid at the signing time);
   * OpenPGP against the keyring with {@link OpenPgpTagVerifier}.
   */
  static void verifySignedTag(Repository repo, String tag, TagTrust trust) throws IOException, ReleaseException {
    Ref ref = repo.exactRef(Constants.R_TAGS + tag);
    RevObject object;
    try (RevWalk walk = new RevWalk(repo)) {
      object = walk.parseAny(ref.getObjectId());
    }
    if (!(object instanceof RevTag revTag)) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: " + tag + " is a lightweight tag, not a"
          + " signed annotated tag; create it with 'git tag -s " + tag + "' (or re-fetch it: actions/checkout"
          + " turns annotated tags into lightweight ones)");
    }
    byte[] signature = revTag.getRawGpgSignature();
    if (signature == null) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: tag " + tag + " is not signed; create it"
          + " with 'git tag -s " + tag + "' (OpenPGP, or SSH with gpg.format=ssh)");
    }
    GpgConfig.GpgFormat format = SignatureVerifiers.getFormat(signature);
    if (format == GpgConfig.GpgFormat.OPENPGP) {
      verifyOpenPgp(revTag, tag, signature, trust);
    } else if (format == GpgConfig.GpgFormat.SSH) {
      verifySsh(repo, revTag, tag, trust);
    } else {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: tag " + tag + " has a " + format
          + " signature; only OpenPGP (--allowed-keyring) and SSH (--allowed-signers) signatures are verified");
    }
  }

  private static void verifyOpenPgp(RevTag revTag, String tag, byte[] signature, TagTrust trust)
      throws ReleaseException {
    if (trust.allowedKeyring() == null) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: tag " + tag + " has an OpenPGP"
          + " signature, but no --allowed-keyring was given to check it against");
    }
    byte[] content = OpenPgpTagVerifier.signedContent(revTag.getRawBuffer(), signature);
    if (content == null) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: tag " + tag + ": the OpenPGP signature"
          + " is not at the end of the tag object, so what it signs is unclear; not accepted");
    }
    OpenPgpTagVerifier.verify(tag, content, signature, trust.allowedKeyring(), Instant.now());
  }

  private static void verifySsh(Repository repo, RevTag revTag, String tag, TagTrust trust)
      throws IOException, ReleaseException {
    Path allowedSigners = trust.allowedSigners();
    if (allowedSigners == null) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: tag " + tag + " has an SSH signature,"
          + " but no --allowed-signers was given to check it against");
    }
    Config config = new Config();
    config.setString("gpg", null, "format", "ssh");
    config.setString("gpg", "ssh", "allowedSignersFile", allowedSigners.toAbsolutePath().toString());
    SignatureVerifier.SignatureVerification v = SignatureVerifiers.verify(repo, new GpgConfig(config), revTag);
    if (v == null) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: no SSH signature verifier available"
          + " (org.eclipse.jgit.ssh.apache missing from the classpath); tag " + tag + " not verified");
    }
    if (!v.verified() || v.trustLevel() == SignatureVerifier.TrustLevel.NEVER) {
      throw new ReleaseException(Failure.GIT_STATE, "--require-signed-tag: the signature on tag " + tag
          + " is not accepted by " + allowedSigners + ": " + (v.message() == null ? "not verified" : v.message())
          + (v.keyFingerprint() == null ? "" : " (key " + v.keyFingerprint() + ")"));
    }
  }
}
