package dev.palisade.release.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.git.GitFacts;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image that already exists as an OCI layout (written by {@code build --to oci:DIR} or
 * {@code release}), for the standalone {@code sbom}, {@code provenance} and {@code push} commands.
 * The layout's own bytes decide the digest; the commit facts come from the image's labels; the
 * dependencies come from the checkout's classpath file and must be, byte for byte, the jars in the
 * image, or the SBOM and provenance would describe another image.
 */
public final class LayoutImage {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** The image manifest the layout names, and its ref name (tag). */
  public record Entry(Digest digest, String tag) {}

  private LayoutImage() {}

  /** The one tagged image manifest in the layout's index.json (referrers added by signing are untagged). */
  public static Entry entry(Path layout) throws ReleaseException {
    Path index = layout.resolve("index.json");
    if (!Files.isRegularFile(index)) {
      throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": not an OCI layout (no index.json)");
    }
    try {
      Set<Entry> tagged = new LinkedHashSet<>();
      for (JsonNode m : JSON.readTree(index.toFile()).path("manifests")) {
        String tag = m.path("annotations").path(REF_NAME).asText("");
        if (!tag.isEmpty()) {
          tagged.add(new Entry(Digest.parse(m.path("digest").asText()), tag));
        }
      }
      if (tagged.size() != 1) {
        throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": expected one tagged image manifest"
            + " in index.json, found " + tagged.size() + (tagged.isEmpty() ? "" : " " + tagged));
      }
      Entry e = tagged.iterator().next();
      if (!Files.isRegularFile(layout.resolve("blobs/sha256").resolve(e.digest().hex()))) {
        throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": manifest blob " + e.digest()
            + " is missing");
      }
      return e;
    } catch (IOException | IllegalArgumentException e) {
      throw new ReleaseException(Failure.IO, "cannot read " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * The layout as a {@link BuiltImage}: commit facts from its labels, dependencies from the checkout
   * (checked against the jars in the image), base and source checked against its labels.
   */
  public static BuiltImage load(Path layout, ImageConfigFile image, BaseConfig base) throws ReleaseException {
    Entry entry = entry(layout);
    Path blobs = layout.resolve("blobs/sha256");
    try {
      JsonNode manifest = JSON.readTree(blobs.resolve(entry.digest().hex()).toFile());
      Digest configDigest = Digest.parse(manifest.path("config").path("digest").asText());
      JsonNode labels = JSON.readTree(blobs.resolve(configDigest.hex()).toFile()).path("config").path("Labels");
      String commit = label(layout, labels, "org.opencontainers.image.revision");
      String version = label(layout, labels, "org.opencontainers.image.version");
      Instant created = Instant.parse(label(layout, labels, "org.opencontainers.image.created"));
      mustMatch(layout, "org.opencontainers.image.base.digest", labels, base.digest().toString(), "the base pin");
      mustMatch(layout, "org.opencontainers.image.source", labels, image.sourceUrl(), "image.yaml's source");
      boolean snapshot = version.contains("snapshot");
      GitFacts git = new GitFacts(version, snapshot ? null : "v" + version, commit, created, snapshot);
      List<ClasspathEntry> deps = image.toInputs().dependencies();
      checkJars(layout, manifest, deps);
      return new BuiltImage(layout, entry.tag(), entry.digest(), configDigest, image.name(), git, deps);
    } catch (IOException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new ReleaseException(Failure.IO, "cannot read the image in " + layout + ": " + e.getMessage(), e);
    }
  }

  private static String label(Path layout, JsonNode labels, String key) throws ReleaseException {
    String value = labels.path(key).asText("");
    if (value.isEmpty()) {
      throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": the image has no " + key
          + " label; was it built by release-tool?");
    }
    return value;
  }

  private static void mustMatch(Path layout, String key, JsonNode labels, String expected, String what)
      throws ReleaseException {
    String actual = label(layout, labels, key);
    if (!actual.equals(expected)) {
      throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": label " + key + " is " + actual
          + ", but " + what + " here is " + expected + "; run it from the checkout the image was built from");
    }
  }

  /** Every classpath jar must be in the image under its name with the same SHA-256, and no other jar. */
  private static void checkJars(Path layout, JsonNode manifest, List<ClasspathEntry> deps)
      throws IOException, ReleaseException {
    String libs = JibImageBuilder.APP_ROOT.substring(1) + "/libs/";
    Map<String, String> inImage = new HashMap<>();
    Path blobs = layout.resolve("blobs/sha256");
    for (JsonNode layer : manifest.path("layers")) {
      String hex = layer.path("digest").asText().substring("sha256:".length());
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(blobs.resolve(hex)));
          InputStream in = layer.path("mediaType").asText().endsWith("gzip") ? new GZIPInputStream(raw, 1 << 16) : raw;
          TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
          if (name.startsWith(libs) && e.isFile()) {
            inImage.put(name.substring(libs.length()), sha256(tar));
          }
        }
      }
    }
    Map<ClasspathEntry, String> names = JibImageBuilder.jarNames(deps);
    for (ClasspathEntry dep : deps) {
      String name = names.get(dep);
      String expected;
      try (InputStream in = Files.newInputStream(dep.jar())) {
        expected = sha256(in);
      }
      String actual = inImage.remove(name);
      if (actual == null) {
        throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": " + dep.coordinates()
            + " (libs/" + name + ") is on the checkout's classpath but not in the image");
      }
      if (!actual.equals(expected)) {
        throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": libs/" + name
            + " in the image differs from " + dep.jar() + "; the image was not built from this classpath");
      }
    }
    if (!inImage.isEmpty()) {
      throw new ReleaseException(Failure.USAGE, "--image oci:" + layout + ": the image holds jars the checkout's"
          + " classpath does not name: " + new java.util.TreeSet<>(inImage.keySet()));
    }
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest sha = Digest.newSha256();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      sha.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
