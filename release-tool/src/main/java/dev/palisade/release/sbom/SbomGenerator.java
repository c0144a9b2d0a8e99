package dev.palisade.release.sbom;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ClasspathEntry;
import dev.palisade.release.image.JibImageBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;

/**
 * A CycloneDX 1.6 JSON SBOM of a built image: the image is the root component (its package URL
 * carries the manifest digest), with the application, its Maven dependencies (purl, SHA-256, the
 * licences their POMs declare) and the OS packages from the image's dpkg status database; the
 * dependency graph links image → application → jars and image → OS packages → their Depends.
 *
 * <p>Deterministic: the serial number is derived from the image digest and the timestamp is the
 * commit time, so the same image always gets the same SBOM bytes.
 */
public final class SbomGenerator {

  private static final Map<String, String> SPDX = Map.ofEntries(
      Map.entry("apache license, version 2.0", "Apache-2.0"),
      Map.entry("the apache software license, version 2.0", "Apache-2.0"),
      Map.entry("the apache license, version 2.0", "Apache-2.0"),
      Map.entry("apache-2.0", "Apache-2.0"),
      Map.entry("mit license", "MIT"),
      Map.entry("the mit license", "MIT"),
      Map.entry("mit", "MIT"),
      Map.entry("eclipse public license - v 2.0", "EPL-2.0"),
      Map.entry("eclipse distribution license - v 1.0", "BSD-3-Clause"),
      Map.entry("bsd-3-clause", "BSD-3-Clause"));

  private final MavenLicenses licenses;

  public SbomGenerator(MavenLicenses licenses) {
    this.licenses = licenses;
  }

  /** The SBOM as CycloneDX 1.6 JSON. */
  public String generate(BuiltImage image) throws ReleaseException {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + serialFor(image.digest()));
    bom.setVersion(1);
    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(image.git().commitTime()));
    Component root = new Component();
    root.setType(Component.Type.CONTAINER);
    root.setName(image.imageName());
    root.setVersion(image.git().version());
    root.setPurl(image.purl());
    root.setBomRef(image.purl());
    root.addHash(new Hash(Hash.Algorithm.SHA_256, image.digest().hex()));
    root.addProperty(property("org.opencontainers.image.revision", image.git().commit()));
    metadata.setComponent(root);
    bom.setMetadata(metadata);

    List<Component> components = new ArrayList<>();
    List<Dependency> graph = new ArrayList<>();
    Dependency imageNode = new Dependency(root.getBomRef());

    Component app = new Component();
    app.setType(Component.Type.APPLICATION);
    app.setName(image.imageName().substring(image.imageName().lastIndexOf('/') + 1));
    app.setVersion(image.git().version());
    app.setBomRef("app:" + app.getName() + "@" + image.git().commit());
    components.add(app);
    imageNode.addDependency(new Dependency(app.getBomRef()));
    Dependency appNode = new Dependency(app.getBomRef());
    for (ClasspathEntry jar : image.dependencies()) {
      Component c = mavenComponent(jar);
      components.add(c);
      appNode.addDependency(new Dependency(c.getBomRef()));
      graph.add(new Dependency(c.getBomRef()));
    }
    graph.add(0, appNode);

    List<DpkgStatus.Entry> packages = osPackages(image);
    Map<String, String> refByName = new LinkedHashMap<>();
    packages.forEach(p -> refByName.put(p.name(), p.purl()));
    for (DpkgStatus.Entry p : packages) {
      Component c = new Component();
      c.setType(Component.Type.LIBRARY);
      c.setName(p.name());
      c.setVersion(p.version());
      c.setPurl(p.purl());
      c.setBomRef(p.purl());
      c.addProperty(property("palisade:layer", "base"));
      components.add(c);
      imageNode.addDependency(new Dependency(c.getBomRef()));
      Dependency node = new Dependency(c.getBomRef());
      p.depends().stream().distinct().filter(refByName::containsKey)
          .forEach(d -> node.addDependency(new Dependency(refByName.get(d))));
      graph.add(node);
    }
    graph.add(0, imageNode);
    bom.setComponents(components);
    bom.setDependencies(graph);
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    } catch (Exception e) {
      throw new ReleaseException(Failure.BUILD, "cannot write the SBOM: " + e.getMessage(), e);
    }
  }

  private Component mavenComponent(ClasspathEntry jar) throws ReleaseException {
    Component c = new Component();
    c.setType(Component.Type.LIBRARY);
    c.setGroup(jar.groupId());
    c.setName(jar.artifactId());
    c.setVersion(jar.version());
    c.setPurl(jar.purl());
    c.setBomRef(jar.purl());
    c.addHash(new Hash(Hash.Algorithm.SHA_256, sha256(jar)));
    List<MavenLicenses.Declared> declared = licenses.find(jar);
    if (!declared.isEmpty()) {
      LicenseChoice choice = new LicenseChoice();
      for (MavenLicenses.Declared d : declared) {
        License l = new License();
        String spdx = d.name() == null ? null : SPDX.get(d.name().toLowerCase(Locale.ROOT));
        if (spdx != null) {
          l.setId(spdx);
        } else {
          l.setName(d.name() != null ? d.name() : d.url());
        }
        if (d.url() != null && d.url().matches("https?://\\S+")) {
          l.setUrl(d.url());
        }
        choice.addLicense(l);
      }
      c.setLicenses(choice);
    }
    c.addProperty(property("palisade:path", JibImageBuilder.APP_ROOT + "/libs/" + jar.jar().getFileName()));
    return c;
  }

  private static List<DpkgStatus.Entry> osPackages(BuiltImage image) throws ReleaseException {
    try {
      return ImageFiles.read(image.layout(), image.digest().hex(), "var/lib/dpkg/status")
          .map(DpkgStatus::parse).orElse(List.of());
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot read the image's dpkg status: " + e.getMessage(), e);
    }
  }

  private static String sha256(ClasspathEntry jar) throws ReleaseException {
    try (InputStream in = Files.newInputStream(jar.jar())) {
      MessageDigest sha = Digest.newSha256();
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot hash " + jar.jar() + ": " + e.getMessage(), e);
    }
  }

  /** A name-based (v5-style) UUID from the image digest: same image, same serial number. */
  static UUID serialFor(Digest digest) {
    byte[] h = Digest.newSha256().digest(("palisade-sbom:" + digest).getBytes(StandardCharsets.UTF_8));
    h[6] = (byte) ((h[6] & 0x0f) | 0x50);
    h[8] = (byte) ((h[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (h[i] & 0xff);
      lsb = (lsb << 8) | (h[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  private static Property property(String name, String value) {
    Property p = new Property();
    p.setName(name);
    p.setValue(value);
    return p;
  }
}
