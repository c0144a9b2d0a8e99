package dev.palisade.scanner.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.keys.KeyPairs;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.sign.BlobSigner;
import dev.palisade.signing.sign.KeyArtifactSigner;
import dev.palisade.testing.sigstore.LocalSigstore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify-bundle --key} checks a key bundle's transparency-log entry; {@code --require-tlog} demands one. */
class VerifyBundleTlogTest {

  @TempDir Path dir;

  @Test
  void keyBundlesWithLogEntries() throws Exception {
    KeyPair pair = KeyPairs.generate();
    Path pub = Files.writeString(dir.resolve("release.pub"), PemKeys.publicKeyPem(pair.getPublic()));
    Path file = Files.writeString(dir.resolve("release.txt"), "release file\n");
    byte[] sha256 = BlobSigner.sha256(file);
    SigstoreBundle plain = new KeyArtifactSigner(pair.getPrivate(), pair.getPublic()).signDigest(sha256);
    LocalSigstore sigstore = LocalSigstore.create();
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));

    ObjectNode json = (ObjectNode) BundleJson.readTree(plain.toJson());
    ObjectNode entry = sigstore.logKeySigned("hashedrekord", "0.0.1", sha256, plain.messageSignature().signature(), pair.getPublic());
    ((ObjectNode) json.get("verificationMaterial")).putArray("tlogEntries").add(entry);
    Path logged = dir.resolve("logged.sigstore.json");
    Files.write(logged, BundleJson.MAPPER.writeValueAsBytes(json));
    Path unlogged = dir.resolve("plain.sigstore.json");
    Files.write(unlogged, plain.toJson());

    CliRun ok = CliRun.of("verify-bundle", "--bundle", logged.toString(), "--key", pub.toString(), "--trusted-root", root.toString(),
        "--require-tlog", file.toString());
    assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
    assertTrue(ok.out().contains("logged "), ok.toString());

    CliRun required = CliRun.of("verify-bundle", "--bundle", unlogged.toString(), "--key", pub.toString(), "--trusted-root",
        root.toString(), "--require-tlog", file.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, required.exitCode(), required.toString());
    assertEquals(ExitCodes.CLEAN, CliRun.of("verify-bundle", "--bundle", unlogged.toString(), "--key", pub.toString(),
        file.toString()).exitCode(), "without --require-tlog an unlogged key bundle is fine");

    entry.put("logIndex", Long.toString(entry.path("logIndex").asLong() + 1)); // the SET covers the index
    Files.write(logged, BundleJson.MAPPER.writeValueAsBytes(json));
    CliRun tampered = CliRun.of("verify-bundle", "--bundle", logged.toString(), "--key", pub.toString(), "--trusted-root",
        root.toString(), file.toString());
    assertEquals(ExitCodes.SIGNATURE_INVALID, tampered.exitCode(), tampered.toString());
    assertTrue(tampered.err().contains("SET was not valid"), tampered.toString());

    CliRun otherLog = CliRun.of("verify-bundle", "--bundle", logged.toString(), "--key", pub.toString(), "--trusted-root",
        LocalSigstore.create().writeTrustedRoot(dir.resolve("other_root.json")).toString(), file.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, otherLog.exitCode(), otherLog.toString());
  }
}
