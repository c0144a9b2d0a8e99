package dev.palisade.oci.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarArchiveFilesTest {

  @TempDir Path dir;

  /** Layers are read in parallel: each must see its own bytes, never another entry's. */
  @Test
  void entriesReadConcurrentlyKeepTheirOwnBytes() throws Exception {
    int entries = 4;
    byte[][] contents = new byte[entries][];
    Path archive = dir.resolve("a.tar");
    try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      Random random = new Random(1);
      for (int i = 0; i < entries; i++) {
        contents[i] = new byte[2 << 20];
        random.nextBytes(contents[i]);
        TarArchiveEntry entry = new TarArchiveEntry("layer" + i + ".tar");
        entry.setSize(contents[i].length);
        tar.putArchiveEntry(entry);
        tar.write(contents[i]);
        tar.closeArchiveEntry();
      }
    }
    try (TarArchiveFiles files = new TarArchiveFiles(archive)) {
      ExecutorService pool = Executors.newFixedThreadPool(entries);
      try {
        List<Future<byte[]>> digests = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
          for (int i = 0; i < entries; i++) {
            String name = "layer" + i + ".tar";
            digests.add(pool.submit(() -> {
              MessageDigest sha = MessageDigest.getInstance("SHA-256");
              try (InputStream in = files.open(name)) {
                byte[] buffer = new byte[7919]; // odd size: reads interleave at odd offsets
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  sha.update(buffer, 0, n);
                }
              }
              return sha.digest();
            }));
          }
        }
        for (int k = 0; k < digests.size(); k++) {
          byte[] expected = MessageDigest.getInstance("SHA-256").digest(contents[k % entries]);
          assertArrayEquals(expected, digests.get(k).get(), "entry " + (k % entries));
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(2 << 20, files.size("layer0.tar").getAsLong());
    }
  }
}
