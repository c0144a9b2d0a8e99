package dev.palisade.release.verify;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** Reads a layer blob (tar, tar+gzip, tar+zstd) into its entries, in archive order. */
public final class LayerReader {

  private LayerReader() {}

  public static List<LayerEntry> read(Path blob, String mediaType) throws IOException {
    List<LayerEntry> entries = new ArrayList<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(decompress(raw, mediaType), "UTF-8")) {
      MessageDigest sha = dev.palisade.oci.digest.Digest.newSha256();
      byte[] buffer = new byte[1 << 16];
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String content = "";
        if (e.isFile()) {
          sha.reset();
          for (int n; (n = tar.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
          content = HexFormat.of().formatHex(sha.digest());
        }
        Map<String, String> pax = new TreeMap<>(e.getExtraPaxHeaders());
        entries.add(new LayerEntry(e.getName(), (char) e.getLinkFlag(), e.getMode(), e.getLongUserId(),
            e.getLongGroupId(), e.getUserName(), e.getGroupName(), e.getLastModifiedTime().toInstant().getEpochSecond(),
            e.getSize(), e.getLinkName(), content, pax));
      }
    }
    return entries;
  }

  private static InputStream decompress(InputStream raw, String mediaType) throws IOException {
    if (mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip")) {
      return new GzipCompressorInputStream(raw);
    }
    if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
      return new ZstdCompressorInputStream(raw);
    }
    return raw;
  }
}
