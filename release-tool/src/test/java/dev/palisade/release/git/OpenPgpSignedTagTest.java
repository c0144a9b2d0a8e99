package dev.palisade.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.TestCli;
import dev.palisade.testing.RequiredBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --require-signed-tag with OpenPGP tags made by the git CLI and real GnuPG (keys in a throwaway
 * GNUPGHOME, no network), verified by release-tool against an armored keyring.
 */
class OpenPgpSignedTagTest {

  private static final String EMAIL = "rel@example.org";
  private static final String UID = "Rel Ease <" + EMAIL + ">";

  @TempDir Path tmp;
  private Path gnupgHome;
  private Path repo;

  @BeforeEach
  void repo() throws Exception {
    RequiredBinaries.require("gpg", "gnupg");
    RequiredBinaries.require("git", "git");
    // A short path: gpg-agent's socket must fit in a sockaddr_un.
    gnupgHome = Files.createTempDirectory(Path.of("/tmp"), "gpg",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    repo = Files.createDirectories(tmp.resolve("repo"));
    git("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README"), "hello\n");
    git("add", "README");
    git("commit", "-q", "-m", "first");
  }

  @AfterEach
  void stopAgent() throws Exception {
    run(tmp, List.of("gpgconf", "--kill", "all"), false);
    try (Stream<Path> walk = Files.walk(gnupgHome)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aTagSignedByAKeyInTheKeyringIsAccepted() throws Exception {
    String key = newKey(UID, "never");
    Path keyring = export("keyring.asc", key);
    signedTag(key, "v1.0.0");
    assertTrue(git("cat-file", "tag", "v1.0.0").contains("-----BEGIN PGP SIGNATURE-----"));
    assertEquals("1.0.0", GitInspector.inspect(repo, false, TagTrust.openPgp(keyring)).version());
  }

  @Test
  void aSigningSubkeyIsAcceptedAndKeyringsMayHoldSeveralBlocksAndComments() throws Exception {
    String other = newKey("Other <other@example.org>", "never");
    String key = newKey(UID, "never");
    gpg("--quick-add-key", key, "ed25519", "sign", "never");
    String subkey = signingSubkey(key);
    Path keyring = Files.writeString(tmp.resolve("keyring.asc"), "# release maintainers\n"
        + gpg("--armor", "--export", other) + "\n# Rel Ease\n" + gpg("--armor", "--export", key));
    signedTag(subkey + "!", "v1.0.0");
    assertEquals("1.0.0", GitInspector.inspect(repo, false, TagTrust.openPgp(keyring)).version());
  }

  @Test
  void aTagSignedByAKeyOutsideTheKeyringIsRefused() throws Exception {
    String key = newKey(UID, "never");
    String other = newKey("Other <other@example.org>", "never");
    Path keyring = export("keyring.asc", other);
    signedTag(key, "v1.0.0");
    String message = refusal(TagTrust.openPgp(keyring));
    assertTrue(message.contains("is signed by OpenPGP key " + key) && message.contains("which is not in " + keyring),
        message);
  }

  @Test
  void aTagChangedAfterSigningIsRefused() throws Exception {
    String key = newKey(UID, "never");
    Path keyring = export("keyring.asc", key);
    signedTag(key, "v1.0.0");
    String forged = git("cat-file", "tag", "v1.0.0").replace("release v1.0.0", "release v1.0.1");
    replaceTag("v1.0.0", forged);
    assertTrue(refusal(TagTrust.openPgp(keyring)).contains("does not match the tag's content"));
  }

  @Test
  void aSignatureMadeOverAnotherTagIsRefused() throws Exception {
    String key = newKey(UID, "never");
    Path keyring = export("keyring.asc", key);
    signedTag(key, "v0.9.0");
    String signature = signatureBlock(git("cat-file", "tag", "v0.9.0"));
    git("tag", "-a", "v1.0.0", "-m", "release v1.0.0");
    replaceTag("v1.0.0", git("cat-file", "tag", "v1.0.0") + signature);
    assertTrue(refusal(TagTrust.openPgp(keyring)).contains("does not match the tag's content"));
  }

  @Test
  void aKeyThatHasExpiredIsRefused() throws Exception {
    // Made and used in 2020 (gpg's faked clock), valid for a day: expired long before now.
    String key = newKeyAt("20200101T000000", UID, "1d");
    Path keyring = export("keyring.asc", key);
    Path gpgIn2020 = Files.writeString(tmp.resolve("gpg-2020"),
        "#!/bin/sh\nexec gpg --faked-system-time 20200101T010000 \"$@\"\n");
    gpgIn2020.toFile().setExecutable(true);
    git("-c", "gpg.program=" + gpgIn2020, "-c", "user.signingkey=" + key, "tag", "-s", "v1.0.0",
        "-m", "release v1.0.0");
    String message = refusal(TagTrust.openPgp(keyring));
    assertTrue(message.contains("OpenPGP key " + key) && message.contains("expired on 2020-01-02"), message);
  }

  @Test
  void aRevokedKeyIsRefused() throws Exception {
    String key = newKey(UID, "never");
    signedTag(key, "v1.0.0");
    // gpg writes a revocation certificate for every new key, its armor line defused with a ':'.
    Path certificate = gnupgHome.resolve("openpgp-revocs.d/" + key + ".rev");
    String revocation = Files.readString(certificate).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----");
    Path defused = Files.writeString(tmp.resolve("revocation.asc"), revocation);
    gpg("--import", defused.toString());
    Path keyring = export("keyring.asc", key);
    String message = refusal(TagTrust.openPgp(keyring));
    assertTrue(message.contains("OpenPGP key " + key) && message.contains("is revoked"), message);
  }

  @Test
  void aKeyringWithoutPublicKeysOrWithAPrivateKeyRefusesEveryTag() throws Exception {
    String key = newKey(UID, "never");
    signedTag(key, "v1.0.0");
    Path keyring = Files.writeString(tmp.resolve("keyring.asc"), "# no maintainer key yet\n");
    assertTrue(refusal(TagTrust.openPgp(keyring)).contains("holds no OpenPGP public key"));
    Path secret = Files.writeString(tmp.resolve("secret.asc"), gpg("--armor", "--export-secret-keys", key));
    assertTrue(refusal(TagTrust.openPgp(secret)).contains("holds a PRIVATE key block"));
  }

  @Test
  void theCommittedKeyringRefusesUntilAMaintainerAddsAKey() throws Exception {
    Path committed = dev.palisade.release.TestBase.REPO_ROOT.resolve("release/allowed-keyring.asc");
    String key = newKey(UID, "never");
    signedTag(key, "v1.0.0");
    assertTrue(refusal(TagTrust.openPgp(committed)).contains("holds no OpenPGP public key"));
    // What its comment tells a maintainer to do: append the exported key below the comments.
    Path withKey = Files.writeString(tmp.resolve("allowed-keyring.asc"),
        Files.readString(committed) + gpg("--armor", "--export", key));
    assertEquals("1.0.0", GitInspector.inspect(repo, false, TagTrust.openPgp(withKey)).version());
  }

  @Test
  void anOpenPgpTagNeedsAKeyringAndAnSshKeyringIsNotEnough() throws Exception {
    String key = newKey(UID, "never");
    signedTag(key, "v1.0.0");
    Path allowedSigners = Files.writeString(tmp.resolve("allowed_signers"), "");
    assertTrue(refusal(TagTrust.ssh(allowedSigners)).contains("has an OpenPGP signature, but no --allowed-keyring"));
  }

  @Test
  void theCliRefusesWithExit10AndAcceptsWithBothFiles() throws Exception {
    String key = newKey(UID, "never");
    String other = newKey("Other <other@example.org>", "never");
    signedTag(key, "v1.0.0");
    Path wrong = export("wrong.asc", other);
    Path allowedSigners = Files.writeString(tmp.resolve("allowed_signers"), "");
    TestCli.Run build = TestCli.run(Map.of(), "build", "--repo", repo.toString(), "--require-signed-tag",
        "--allowed-signers", allowedSigners.toString(), "--allowed-keyring", wrong.toString(),
        "--to", "oci:" + tmp.resolve("image"));
    assertEquals(Failure.GIT_STATE.exitCode(), build.exitCode(), build.toString());
    assertTrue(build.err().contains("which is not in " + wrong), build.err());

    TestCli.Run verify = TestCli.run(Map.of(), "verify-reproducible", "--repo", repo.toString(),
        "--require-signed-tag", "--allowed-keyring", wrong.toString(), "--against", "oci:" + tmp.resolve("image"));
    assertEquals(Failure.GIT_STATE.exitCode(), verify.exitCode(), verify.toString());
    assertTrue(verify.err().contains("which is not in " + wrong), verify.err());

    TestCli.Run usage = TestCli.run(Map.of(), "verify-reproducible", "--repo", repo.toString(),
        "--allowed-keyring", wrong.toString());
    assertEquals(Failure.USAGE.exitCode(), usage.exitCode(), usage.toString());
    assertTrue(usage.err().contains("--allowed-keyring is only used with --require-signed-tag"), usage.err());
  }

  private String refusal(TagTrust trust) {
    ReleaseException e = assertThrows(ReleaseException.class, () -> GitInspector.inspect(repo, false, trust));
    assertEquals(Failure.GIT_STATE, e.failure());
    assertTrue(e.getMessage().startsWith("--require-signed-tag: "), e.getMessage());
    return e.getMessage();
  }

  /** A new unprotected ed25519 signing key; its fingerprint. */
  private String newKey(String uid, String expiry) throws Exception {
    gpg("--quick-gen-key", uid, "ed25519", "sign", expiry);
    return primaryFingerprint(uid);
  }

  private String newKeyAt(String time, String uid, String expiry) throws Exception {
    gpg("--faked-system-time", time, "--quick-gen-key", uid, "ed25519", "sign", expiry);
    return primaryFingerprint(uid);
  }

  private String primaryFingerprint(String uid) throws Exception {
    return colons(uid, "fpr").get(0);
  }

  private String signingSubkey(String key) throws Exception {
    List<String> fingerprints = colons(key, "fpr");
    return fingerprints.get(fingerprints.size() - 1);
  }

  /** Field 10 of the --with-colons records of one kind (fpr lines follow pub/sub lines in order). */
  private List<String> colons(String who, String record) throws Exception {
    List<String> values = new ArrayList<>();
    for (String line : gpg("--with-colons", "--fingerprint", "--fingerprint", "--list-keys", who).split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields[0].equals(record)) {
        values.add(fields[9]);
      }
    }
    return values;
  }

  private Path export(String file, String key) throws Exception {
    return Files.writeString(tmp.resolve(file), gpg("--armor", "--export", key));
  }

  private void signedTag(String key, String tag) throws Exception {
    git("-c", "user.signingkey=" + key, "tag", "-s", tag, "-m", "release " + tag);
  }

  private void replaceTag(String tag, String object) throws Exception {
    Path file = Files.writeString(tmp.resolve("tag-object"), object);
    String id = git("hash-object", "-t", "tag", "-w", file.toString()).trim();
    git("update-ref", "refs/tags/" + tag, id);
  }

  private static String signatureBlock(String tagObject) {
    return tagObject.substring(tagObject.indexOf("-----BEGIN PGP SIGNATURE-----"));
  }

  private String gpg(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet", "--pinentry-mode",
        "loopback", "--passphrase", ""));
    command.addAll(List.of(args));
    return run(tmp, command, true);
  }

  private String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Rel Ease", "-c", "user.email=" + EMAIL));
    command.addAll(List.of(args));
    return run(repo, command, true);
  }

  private String run(Path dir, List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GNUPGHOME", gnupgHome.toString());
    pb.environment().put("TZ", "UTC");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (mustSucceed) {
      assertEquals(0, exit, String.join(" ", command) + ":\n" + out);
    }
    return out;
  }
}
