package dev.palisade.release;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.base.Blob;
import dev.palisade.release.base.FsNode;
import dev.palisade.release.base.OciLayoutWriter;
import dev.palisade.release.base.TarWriter;
import dev.palisade.release.git.GitFacts;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ClasspathEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** A small but real OCI layout written with the project's own writers, for push and SBOM tests. */
public final class SmallImage {

  public static final String STATUS = "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u14\n"
      + "Architecture: amd64\nDepends: libgcc-s1\n\nPackage: libgcc-s1\nStatus: install ok installed\n"
      + "Version: 12.2.0-14+deb12u1\nArchitecture: amd64\n\n";

  private SmallImage() {}

  public static BuiltImage write(Path dir, List<ClasspathEntry> deps, byte[] extraFile) throws Exception {
    ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream diff = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(diff, 1)) {
      tar.write("var/lib/dpkg/status", FsNode.file(0644, STATUS.getBytes(StandardCharsets.UTF_8)));
      if (extraFile != null) {
        tar.write("usr/local/bin/extra", FsNode.file(0755, extraFile));
      }
    }
    try (GZIPOutputStream gz = new GZIPOutputStream(tarBytes)) {
      gz.write(diff.toByteArray());
    }
    OciLayoutWriter layout = new OciLayoutWriter(dir);
    Blob layer = layout.addBytes("application/vnd.oci.image.layer.v1.tar+gzip", tarBytes.toByteArray());
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"" + Digest.sha256(diff.toByteArray()) + "\"]}}";
    Blob configBlob = layout.addBytes("application/vnd.oci.image.config.v1+json", config.getBytes(StandardCharsets.UTF_8));
    Blob manifest = layout.finish(configBlob, List.of(layer), Map.of(), "test:1.0.0");
    GitFacts git = new GitFacts("1.0.0", "v1.0.0", "0123456789abcdef0123456789abcdef01234567",
        Instant.parse("2025-03-04T05:06:07Z"), false);
    return new BuiltImage(dir, "1.0.0", manifest.digest(), configBlob.digest(), "example.org/palisade/test", git, deps);
  }
}
