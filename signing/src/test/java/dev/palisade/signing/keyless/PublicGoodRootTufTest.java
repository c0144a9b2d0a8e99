package dev.palisade.signing.keyless;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigstore.tuf.FileSystemTufStore;
import dev.sigstore.tuf.Fetcher;
import dev.sigstore.tuf.MetaFetcher;
import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.Updater;
import dev.sigstore.tuf.encryption.Verifiers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned public-good trusted_root.json is what Sigstore's TUF repository vouched for, checked
 * offline by sigstore-java's own TUF client ({@link Updater}): from the root.json sigstore-java
 * ships (version 10) through root versions 11 to 15 (each signed by a threshold of the previous and
 * the new root's keys), then timestamp, snapshot and targets (signed by the roles' keys of root 15),
 * then the target's length and SHA-256 against the bytes in our jar.
 *
 * <p>The metadata under {@code tuf/public-good/} is github.com/sigstore/root-signing's
 * {@code metadata/} at commit 60cf2ce8 (the commit the root was pinned from). TUF's freshness
 * check cannot be made offline: the clock is set to that commit's time (2026-08-21), when the
 * timestamp (expires 2026-08-28) and root 15 (expires 2026-11-20) were current. Run today, the
 * same update fails as expired: refresh the pin from the live repository.
 */
class PublicGoodRootTufTest {

  static final Instant PINNED_AT = Instant.parse("2026-08-21T20:00:00Z");
  static final String METADATA = "/tuf/public-good/";

  @TempDir Path dir;

  /** Serves the pinned metadata; a file that is not there is "404" (null), as TUF clients expect. */
  static final class PinnedMetadata implements Fetcher {
    @Override
    public String getSource() {
      return "classpath:" + METADATA;
    }

    @Override
    public byte[] fetchResource(String name, int maxLength) throws IOException {
      try (InputStream in = PublicGoodRootTufTest.class.getResourceAsStream(METADATA + name)) {
        return in == null ? null : in.readNBytes(maxLength);
      }
    }
  }

  /** Serves the trusted root from our jar under its consistent-snapshot name {@code <sha256>.trusted_root.json}. */
  static final class JarTarget implements Fetcher {
    @Override
    public String getSource() {
      return "the pinned resource " + PublicGoodRoot.RESOURCE;
    }

    @Override
    public byte[] fetchResource(String name, int maxLength) throws IOException {
      if (!name.equals(PublicGoodRoot.SHA256 + ".trusted_root.json")) {
        return null;
      }
      try (InputStream in = PublicGoodRoot.class.getResourceAsStream(PublicGoodRoot.RESOURCE)) {
        return in.readNBytes(maxLength);
      }
    }
  }

  Updater updater(Clock clock, Fetcher target) throws IOException {
    FileSystemTufStore store = FileSystemTufStore.newFileSystemStore(Files.createTempDirectory(dir, "tuf"));
    return Updater.builder()
        .setClock(clock)
        .setVerifiers(Verifiers::newVerifier)
        .setTrustedRootPath(RootProvider.fromResource("dev/sigstore/tuf/sigstore-tuf-root/root.json"))
        .setTrustedMetaStore(dev.sigstore.tuf.TrustedMetaStore.newTrustedMetaStore(store))
        .setTargetStore(store)
        .setMetaFetcher(MetaFetcher.newFetcher(new PinnedMetadata()))
        .setTargetFetcher(target)
        .build();
  }

  @Test
  void thePinnedTrustedRootIsTheOneSigstoresTufRepositorySigned() throws Exception {
    Updater updater = updater(Clock.fixed(PINNED_AT, ZoneOffset.UTC), new JarTarget());
    updater.updateMeta();
    updater.downloadTarget("trusted_root.json");
  }

  /** Why the clock is pinned: root 15 expired on 2026-11-20; only a refresh from the network can fix that. */
  @Test
  void withTodaysClockTheSameMetadataIsExpired() throws Exception {
    Updater updater = updater(Clock.systemUTC(), new JarTarget());
    assertThrows(dev.sigstore.tuf.RoleExpiredException.class, updater::updateMeta);
  }

  @Test
  void otherBytesUnderTheSameNameAreRefused() throws Exception {
    byte[] pinned;
    try (InputStream in = PublicGoodRoot.class.getResourceAsStream(PublicGoodRoot.RESOURCE)) {
      pinned = in.readAllBytes();
    }
    byte[] altered = pinned.clone();
    altered[altered.length / 2] ^= 1;
    Fetcher tampered = new Fetcher() {
      @Override
      public String getSource() {
        return "altered";
      }

      @Override
      public byte[] fetchResource(String name, int maxLength) {
        return name.endsWith(".trusted_root.json") ? altered : null;
      }
    };
    Updater updater = updater(Clock.fixed(PINNED_AT, ZoneOffset.UTC), tampered);
    updater.updateMeta();
    assertThrows(dev.sigstore.tuf.InvalidHashesException.class, () -> updater.downloadTarget("trusted_root.json"));
  }

  @Test
  void aTamperedTargetsRoleIsRefused() throws Exception {
    Fetcher tamperedTargets = new Fetcher() {
      @Override
      public String getSource() {
        return "tampered";
      }

      @Override
      public byte[] fetchResource(String name, int maxLength) throws IOException {
        byte[] bytes = new PinnedMetadata().fetchResource(name, maxLength);
        if (bytes != null && name.equals("14.targets.json")) {
          // Same length, another expiry year: the signature over "signed" no longer verifies.
          byte[] changed = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
              .replace("\"expires\": \"2036-", "\"expires\": \"2037-").getBytes(java.nio.charset.StandardCharsets.UTF_8);
          assertFalse(java.util.Arrays.equals(bytes, changed), "the tampering must change something");
          return changed;
        }
        return bytes;
      }
    };
    FileSystemTufStore store = FileSystemTufStore.newFileSystemStore(Files.createTempDirectory(dir, "tuf"));
    Updater updater = Updater.builder()
        .setClock(Clock.fixed(PINNED_AT, ZoneOffset.UTC))
        .setVerifiers(Verifiers::newVerifier)
        .setTrustedRootPath(RootProvider.fromResource("dev/sigstore/tuf/sigstore-tuf-root/root.json"))
        .setTrustedMetaStore(dev.sigstore.tuf.TrustedMetaStore.newTrustedMetaStore(store))
        .setTargetStore(store)
        .setMetaFetcher(MetaFetcher.newFetcher(tamperedTargets))
        .setTargetFetcher(new JarTarget())
        .build();
    assertThrows(dev.sigstore.tuf.SignatureVerificationException.class, updater::updateMeta);
  }
}
