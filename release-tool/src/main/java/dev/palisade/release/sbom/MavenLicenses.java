package dev.palisade.release.sbom;

import dev.palisade.release.image.ClasspathEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Finds a Maven artifact's declared licences in its POM, following {@code <parent>} through the
 * local repository (many projects declare licences only in a parent). Reads local files only.
 */
public final class MavenLicenses {

  /** A declared licence: its name and URL as the POM gives them. */
  public record Declared(String name, String url) {}

  private static final int MAX_PARENTS = 6;

  private final Path localRepository;

  public MavenLicenses(Path localRepository) {
    this.localRepository = localRepository;
  }

  public static MavenLicenses defaultRepository() {
    String configured = System.getProperty("maven.repo.local");
    return new MavenLicenses(configured != null ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository"));
  }

  public List<Declared> find(ClasspathEntry entry) {
    try {
      Document pom = pomOf(entry);
      for (int depth = 0; pom != null && depth < MAX_PARENTS; depth++) {
        List<Declared> found = licences(pom);
        if (!found.isEmpty()) {
          return found;
        }
        pom = parentOf(pom);
      }
    } catch (IOException | RuntimeException e) {
      // A POM we cannot read leaves the licence unknown; the SBOM says so rather than guessing.
    }
    return List.of();
  }

  private Document pomOf(ClasspathEntry entry) throws IOException {
    String jarName = entry.jar().getFileName().toString();
    Path sibling = entry.jar().resolveSibling(entry.artifactId() + "-" + entry.version() + ".pom");
    if (Files.isRegularFile(sibling)) {
      return parse(Files.newInputStream(sibling));
    }
    Path inRepo = repoPath(entry.groupId(), entry.artifactId(), entry.version());
    if (Files.isRegularFile(inRepo)) {
      return parse(Files.newInputStream(inRepo));
    }
    if (jarName.endsWith(".jar")) {
      try (ZipFile zip = new ZipFile(entry.jar().toFile())) {
        ZipEntry e = zip.getEntry("META-INF/maven/" + entry.groupId() + "/" + entry.artifactId() + "/pom.xml");
        if (e != null) {
          return parse(zip.getInputStream(e));
        }
      }
    }
    return null;
  }

  private Document parentOf(Document pom) throws IOException {
    Element parent = child(pom.getDocumentElement(), "parent");
    if (parent == null) {
      return null;
    }
    Path path = repoPath(text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"));
    return Files.isRegularFile(path) ? parse(Files.newInputStream(path)) : null;
  }

  private Path repoPath(String group, String artifact, String version) {
    if (group == null || artifact == null || version == null) {
      return localRepository.resolve("nonexistent");
    }
    return localRepository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
        .resolve(artifact + "-" + version + ".pom");
  }

  private static List<Declared> licences(Document pom) {
    List<Declared> out = new ArrayList<>();
    Element licenses = child(pom.getDocumentElement(), "licenses");
    if (licenses == null) {
      return out;
    }
    NodeList list = licenses.getElementsByTagName("license");
    for (int i = 0; i < list.getLength(); i++) {
      Element l = (Element) list.item(i);
      String name = text(l, "name");
      String url = text(l, "url");
      if (name != null || url != null) {
        out.add(new Declared(name, url));
      }
    }
    return out;
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().strip();
  }

  private static Document parse(InputStream in) throws IOException {
    try (in) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder b = f.newDocumentBuilder();
      return b.parse(in);
    } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      throw new IOException("unreadable POM: " + e.getMessage(), e);
    }
  }
}
