package dev.palisade.release.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.OrderedJson;
import dev.palisade.release.base.Blob;
import dev.palisade.release.base.FsNode;
import dev.palisade.release.base.OciLayoutWriter;
import dev.palisade.release.base.TarWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Says which part differs: config key order or value, which layer and which file and field. */
class LayoutComparisonTest {

  @TempDir Path tmp;

  private static Path layout(Path dir, long mtime, String appContent, boolean reorderConfig, int gzipLevel)
      throws Exception {
    ByteArrayOutputStream diff = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(diff, mtime)) {
      tar.write("etc/os-release", FsNode.file(0644, "ID=debian\n".getBytes(StandardCharsets.UTF_8)));
      tar.write("app/greeting.txt", FsNode.file(0644, appContent.getBytes(StandardCharsets.UTF_8)));
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz) {
      { def.setLevel(gzipLevel); }
    }) {
      out.write(diff.toByteArray());
    }
    OciLayoutWriter writer = new OciLayoutWriter(dir);
    Blob layer = writer.addBytes("application/vnd.oci.image.layer.v1.tar+gzip", gz.toByteArray());
    Map<String, Object> rootfs = reorderConfig
        ? OrderedJson.map("diff_ids", List.of(Digest.sha256(diff.toByteArray()).toString()), "type", "layers")
        : OrderedJson.map("type", "layers", "diff_ids", List.of(Digest.sha256(diff.toByteArray()).toString()));
    Blob config = writer.addBytes("application/vnd.oci.image.config.v1+json",
        OrderedJson.bytes(OrderedJson.map("architecture", "amd64", "os", "linux", "rootfs", rootfs)));
    writer.finish(config, List.of(layer), Map.of(), "t");
    return dir;
  }

  @Test
  void identicalBuildsCompareEqual() throws Exception {
    LayoutComparison.Result r = LayoutComparison.compare(layout(tmp.resolve("a"), 1, "hi", false, 6),
        layout(tmp.resolve("b"), 1, "hi", false, 6));
    assertTrue(r.identical(), r.describe());
  }

  @Test
  void namesTheFileAndFieldsThatDiffer() throws Exception {
    LayoutComparison.Result r = LayoutComparison.compare(layout(tmp.resolve("a"), 1, "hi", false, 6),
        layout(tmp.resolve("b"), 2, "hello", false, 6));
    assertTrue(!r.identical());
    String text = r.describe();
    assertTrue(text.contains("config $.rootfs.diff_ids[0]"), text);
    ImageDifference greeting = r.differences().stream().filter(d -> d.where().equals("app/greeting.txt"))
        .findFirst().orElseThrow(() -> new AssertionError(text));
    assertTrue(greeting.part().startsWith("layer 1 ("), text);
    assertTrue(greeting.detail().contains("mtime 1 != 2") && greeting.detail().contains("size 2 != 5")
        && greeting.detail().contains("content sha256"), text);
    ImageDifference osRelease = r.differences().stream().filter(d -> d.where().equals("etc/os-release"))
        .findFirst().orElseThrow(() -> new AssertionError(text));
    assertEquals("mtime 1 != 2", osRelease.detail());
  }

  @Test
  void keyOrderAndCompressionAreNamedToo() throws Exception {
    LayoutComparison.Result r = LayoutComparison.compare(layout(tmp.resolve("a"), 1, "hi", false, 6),
        layout(tmp.resolve("b"), 1, "hi", true, 1));
    String text = r.describe();
    assertTrue(text.contains("config $.rootfs: key order differs: [type, diff_ids] != [diff_ids, type]"), text);
    assertTrue(text.contains("same uncompressed tar") && text.contains("different compression"), text);
  }
}
