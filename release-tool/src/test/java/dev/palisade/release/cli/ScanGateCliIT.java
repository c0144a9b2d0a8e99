package dev.palisade.release.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.release.Failure;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import dev.palisade.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose application carries a miner config is stopped by the scan gate: exit 13, the
 * report printed, nothing in the (real, local) registry, and the GitHub summary says so.
 */
class ScanGateCliIT {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  static final String MINER_CONFIG = """
      {
        "autosave": true,
        "donate-level": 1,
        "cpu": {"enabled": true, "huge-pages": true},
        "randomx": {"init": -1, "mode": "auto"},
        "pools": [
          {"algo": "rx/0", "url": "stratum+tcp://pool.supportxmr.com:3333",
           "user": "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
           "pass": "x", "keepalive": true, "tls": false}
        ]
      }
      """;

  @TempDir Path tmp;

  @Test
  void minerConfigStopsTheReleaseBeforeAnythingIsPushed() throws Exception {
    TestBase.assembled();
    Path repo = tmp.resolve("repo");
    TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n", "hello/config.json", MINER_CONFIG)).close();
    TestRepo.writeClasspath(repo);
    Path summary = tmp.resolve("summary.md");
    Path outputs = tmp.resolve("outputs.txt");
    TestCli.Run run = TestCli.run(Map.of("GITHUB_STEP_SUMMARY", summary.toString(), "GITHUB_OUTPUT", outputs.toString()),
        "release", "--repo", repo.toString(), "--snapshot", "--cache-dir", TestBase.CACHE.toString(),
        "--insecure-registry", registry.host(), "--to", registry.host() + "/palisade/hello:1.0.0",
        "--out-dir", tmp.resolve("out").toString());

    assertEquals(Failure.SCAN_GATE.exitCode(), run.exitCode(), run.toString());
    assertTrue(run.err().contains("scan gate: findings at or above low") && run.err().contains("nothing was pushed"),
        run.toString());
    assertTrue(run.err().contains("hello/config.json"), "the report names the file:\n" + run);
    assertTrue(Files.readString(tmp.resolve("out/scan.json")).contains("hello/config.json"));
    assertTrue(Files.readString(summary).contains("FAILED"), Files.readString(summary));
    assertFalse(Files.exists(tmp.resolve("out/sbom.cdx.json")), "no SBOM for a refused image");
    try (RegistryClient client = RegistryClient.builder(registry.host()).plainHttp(true).build()) {
      assertThrows(dev.palisade.oci.registry.RegistryNotFoundException.class, () -> client.getManifest("palisade/hello", "1.0.0"), "nothing was pushed");
    }
  }
}
