package dev.palisade.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.TestCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --require-signed-tag with tags made by the git CLI (gpg.format=ssh, ssh-keygen -Y sign underneath)
 * and verified by JGit's SSH verifier against an OpenSSH allowed-signers file.
 */
class SignedTagTest {

  private static final String EMAIL = "rel@example.org";

  @TempDir Path tmp;
  private Path repo;
  private Path key;
  private Path allowed;
  private Path others;

  @BeforeEach
  void keysAndRepo() throws Exception {
    key = tmp.resolve("keys/release");
    Path other = tmp.resolve("keys/other");
    Files.createDirectories(key.getParent());
    run(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "release", "-f", key.toString());
    run(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other", "-f", other.toString());
    allowed = Files.writeString(tmp.resolve("allowed_signers"),
        EMAIL + " namespaces=\"git\" " + Files.readString(Path.of(key + ".pub")));
    others = Files.writeString(tmp.resolve("others_allowed_signers"),
        EMAIL + " namespaces=\"git\" " + Files.readString(Path.of(other + ".pub")));
    repo = Files.createDirectories(tmp.resolve("repo"));
    git("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README"), "hello\n");
    git("add", "README");
    git("commit", "-q", "-m", "first");
  }

  @Test
  void aTagSignedByAnAllowedKeyIsAccepted() throws Exception {
    git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "tag", "-s", "v1.0.0", "-m", "release 1.0.0");
    assertTrue(git("cat-file", "tag", "v1.0.0").contains("-----BEGIN SSH SIGNATURE-----"));
    assertEquals("1.0.0", GitInspector.inspect(repo, false, TagTrust.ssh(allowed)).version());
    assertEquals("1.0.0", GitInspector.inspect(repo, false).version(), "the check only runs when asked for");
  }

  @Test
  void aTagSignedByAnotherKeyIsRefused() throws Exception {
    git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "tag", "-s", "v1.0.0", "-m", "release 1.0.0");
    ReleaseException e = assertThrows(ReleaseException.class, () -> GitInspector.inspect(repo, false, TagTrust.ssh(others)));
    assertEquals(Failure.GIT_STATE, e.failure());
    assertTrue(e.getMessage().contains("signature on tag v1.0.0 is not accepted"), e.getMessage());
  }

  @Test
  void aTamperedSignedTagIsRefused() throws Exception {
    git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "tag", "-s", "v1.0.0", "-m", "release 1.0.0");
    String forged = git("cat-file", "tag", "v1.0.0").replace("release 1.0.0", "release 1.0.1");
    Path forgedFile = Files.writeString(tmp.resolve("forged"), forged);
    String id = git("hash-object", "-t", "tag", "-w", forgedFile.toString()).trim();
    git("update-ref", "refs/tags/v1.0.0", id);
    ReleaseException e = assertThrows(ReleaseException.class, () -> GitInspector.inspect(repo, false, TagTrust.ssh(allowed)));
    assertEquals(Failure.GIT_STATE, e.failure());
  }

  @Test
  void unsignedTagsAreRefusedWithExit10FromTheCli() throws Exception {
    git("tag", "-a", "v1.0.0", "-m", "release 1.0.0");
    TestCli.Run annotated = TestCli.run(Map.of(), "build", "--repo", repo.toString(), "--require-signed-tag",
        "--allowed-signers", allowed.toString(), "--to", "oci:" + tmp.resolve("image"));
    assertEquals(Failure.GIT_STATE.exitCode(), annotated.exitCode(), annotated.toString());
    assertTrue(annotated.err().contains("tag v1.0.0 is not signed"), annotated.err());

    git("tag", "-d", "v1.0.0");
    git("tag", "v1.0.0");
    TestCli.Run lightweight = TestCli.run(Map.of(), "release", "--repo", repo.toString(), "--require-signed-tag",
        "--allowed-signers", allowed.toString(), "--to", "oci:" + tmp.resolve("image"));
    assertEquals(Failure.GIT_STATE.exitCode(), lightweight.exitCode(), lightweight.toString());
    assertTrue(lightweight.err().contains("v1.0.0 is a lightweight tag"), lightweight.err());
  }

  @Test
  void theCommittedAllowedSignersFileRefusesUntilAMaintainerAddsAKey() throws Exception {
    Path committed = dev.palisade.release.TestBase.REPO_ROOT.resolve("release/allowed-signers");
    git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "tag", "-s", "v1.0.0", "-m", "release 1.0.0");
    ReleaseException e = assertThrows(ReleaseException.class,
        () -> GitInspector.inspect(repo, false, TagTrust.ssh(committed)));
    assertEquals(Failure.GIT_STATE, e.failure());
    assertTrue(e.getMessage().contains("is not accepted by " + committed), e.getMessage());
    // What its comment tells a maintainer to do: append one line for their key.
    Path withKey = Files.writeString(tmp.resolve("allowed-signers"), Files.readString(committed)
        + EMAIL + " namespaces=\"git\" " + Files.readString(Path.of(key + ".pub")));
    assertEquals("1.0.0", GitInspector.inspect(repo, false, TagTrust.ssh(withKey)).version());
  }

  @Test
  void usageErrors() {
    TestCli.Run noFile = TestCli.run(Map.of(), "build", "--repo", repo.toString(), "--require-signed-tag");
    assertEquals(Failure.USAGE.exitCode(), noFile.exitCode(), noFile.toString());
    assertTrue(noFile.err().contains("--require-signed-tag needs --allowed-signers FILE (SSH) or --allowed-keyring"), noFile.err());
    TestCli.Run snapshot = TestCli.run(Map.of(), "build", "--repo", repo.toString(), "--snapshot",
        "--require-signed-tag", "--allowed-signers", allowed.toString());
    assertEquals(Failure.USAGE.exitCode(), snapshot.exitCode(), snapshot.toString());
  }

  private String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Rel Ease", "-c", "user.email=" + EMAIL));
    command.addAll(List.of(args));
    return run(repo, command.toArray(String[]::new));
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
    return out;
  }
}
