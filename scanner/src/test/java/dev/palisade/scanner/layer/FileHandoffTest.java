package dev.palisade.scanner.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.scanner.api.ScanLimits;
import dev.palisade.scanner.api.ScanOptions;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.fixtures.OciLayoutBuilder;
import dev.palisade.scanner.fixtures.OciLayoutBuilder.Compression;
import dev.palisade.scanner.fixtures.Samples;
import dev.palisade.scanner.fixtures.TarBuilder;
import dev.palisade.scanner.image.ImageScanner;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files handed to idle threads must be scanned exactly as the reading thread would have scanned
 * them: same findings, same incompletes, in the same order, whatever the thread count.
 */
class FileHandoffTest {

  /** Files above 100 KB are cut short: each such file is an incomplete with its own path. */
  private static final ScanLimits LIMITS = ScanLimits.DEFAULT.withMaxFileBytes(100_000);

  @TempDir Path dir;

  /** One layer of 600 files: filler, miner configs, oversize files, and a jar holding a miner. */
  private Path oneLayerImage() throws Exception {
    Random random = new Random(42);
    TarBuilder tar = new TarBuilder();
    for (int i = 0; i < 600; i++) {
      String name = String.format("srv/data/f%04d", i);
      if (i % 97 == 5) {
        tar.file(name + ".json", Samples.minerConfig());
      } else if (i % 151 == 7) {
        tar.file(name + ".bin", filler(random, 150_000));
      } else if (i == 333) {
        tar.file(name + ".jar", Samples.zip("conf/pool.json", Samples.minerConfig()));
      } else {
        tar.file(name + ".txt", filler(random, random.nextInt(20_000)));
      }
    }
    Path image = dir.resolve("img");
    new OciLayoutBuilder().layer(tar.build(), Compression.GZIP).write(image, "t");
    return image;
  }

  private ScanReport scan(Path image, int parallelism) throws Exception {
    ScanOptions options = new ScanOptions(null, LIMITS, parallelism);
    try (OciLayoutSource source = OciLayoutSource.directory(image, "t")) {
      return new ImageScanner(RuleEngine.loadDefault(), options, e -> { }).scan(source);
    }
  }

  @Test
  void reportIsTheSameWhateverTheThreadCount() throws Exception {
    Path image = oneLayerImage();
    ScanReport alone = scan(image, 1);
    // Seven miner configs and the jar holding one; four oversize files cut short.
    assertEquals(8, alone.findings().stream().map(f -> f.path()).distinct().count());
    assertEquals(4, alone.allIncomplete().size(), alone.allIncomplete().toString());
    for (int parallelism : new int[] {2, 4, 8}) {
      for (int run = 0; run < 3; run++) {
        ScanReport shared = scan(image, parallelism);
        assertEquals(alone.findings(), shared.findings(), "parallelism " + parallelism);
        assertEquals(alone.allIncomplete(), shared.allIncomplete(), "parallelism " + parallelism);
        assertEquals(alone.status(), shared.status());
      }
    }
  }

  @Test
  void aHelperScansHandedOffFilesAndTheLayerWaitsForThem() throws Exception {
    Path image = oneLayerImage();
    try (OciLayoutSource source = OciLayoutSource.directory(image, "t")) {
      Descriptor layer = ((ImageManifest) source.rootManifest().manifest()).layers().get(0);
      LayerScanner scanner = new LayerScanner(RuleEngine.loadDefault(), LIMITS);
      LayerResult alone = scanner.scan(source, layer, 0, bytes -> { });

      FileHandoff handoff = new FileHandoff(1);
      CompletableFuture<Void> helper = CompletableFuture.runAsync(() -> {
        try {
          handoff.helpUntilLayersFinished();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      while (!handoff.hasHelpers()) {
        Thread.onSpinWait();
      }
      LayerResult shared = scanner.scan(source, layer, 0, bytes -> { }, handoff);
      handoff.layerFinished();
      helper.get();

      assertTrue(handoff.handedOffFiles() > 0, "nothing was handed off");
      assertFalse(shared.findings().isEmpty());
      assertEquals(sorted(alone), sorted(shared));
      assertEquals(alone.incomplete(), shared.incomplete());
      assertEquals(alone.entries(), shared.entries());
      assertEquals(alone.summary(), shared.summary());
    }
  }

  private static List<String> sorted(LayerResult result) {
    return result.findings().stream().map(Object::toString).sorted().toList();
  }

  private static byte[] filler(Random random, int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(26));
    }
    return bytes;
  }
}
