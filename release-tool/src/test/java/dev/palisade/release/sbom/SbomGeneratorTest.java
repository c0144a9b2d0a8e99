package dev.palisade.release.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.release.SmallImage;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ClasspathEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SbomGeneratorTest {

  @TempDir Path dir;

  @Test
  void validCycloneDx16WithImageRootJarsOsPackagesAndGraph() throws Exception {
    // A real jar with a real POM in the local repository: picocli, on this test's classpath.
    Path jar = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ClasspathEntry picocli = new ClasspathEntry("info.picocli", "picocli", "4.7.7", null, "compile", jar);
    BuiltImage image = SmallImage.write(dir.resolve("layout"), List.of(picocli), null);
    MavenLicenses licenses = new MavenLicenses(jar.getParent().getParent().getParent().getParent().getParent());
    String sbom = new SbomGenerator(licenses).generate(image);

    var problems = new JsonParser().validate(sbom.getBytes(StandardCharsets.UTF_8), Version.VERSION_16);
    assertTrue(problems.isEmpty(), problems.toString());
    JsonNode bom = new ObjectMapper().readTree(sbom);
    assertEquals("1.6", bom.path("specVersion").asText());
    assertTrue(bom.path("metadata").path("component").path("purl").asText()
        .startsWith("pkg:oci/test@sha256%3A" + image.digest().hex()));
    assertEquals("2025-03-04T05:06:07Z", bom.path("metadata").path("timestamp").asText());
    String text = bom.path("components").toString();
    assertTrue(text.contains("pkg:maven/info.picocli/picocli@4.7.7"), text);
    assertTrue(text.contains("Apache-2.0"), text);
    assertTrue(text.contains("pkg:deb/debian/libc6@2.36-9+deb12u14?arch=amd64"), text);
    assertTrue(bom.path("dependencies").toString().contains("libgcc-s1"));
    // Deterministic: same image, same bytes (serial number from the digest, timestamp = commit).
    assertEquals(sbom, new SbomGenerator(licenses).generate(image));
    assertTrue(bom.path("serialNumber").asText().startsWith("urn:uuid:"));
    Files.writeString(dir.resolve("sbom.json"), sbom);
  }
}
