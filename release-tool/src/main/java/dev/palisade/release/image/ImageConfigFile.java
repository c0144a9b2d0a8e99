package dev.palisade.release.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code release/image.yaml}: what the released image is, kept in the repository so that every
 * input of the build is a fact of the commit (the source URL in a label, for one, must not come
 * from wherever a clone happens to point).
 */
public record ImageConfigFile(String name, String sourceUrl, String mainClass, Path classes, Path classpathFile,
    String projectGroupId, List<String> arguments, List<Integer> ports) {

  public ImageConfigFile {
    arguments = List.copyOf(arguments);
    ports = List.copyOf(ports);
  }

  public static ImageConfigFile load(Path file, Path repoRoot) throws ReleaseException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new ReleaseException(Failure.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> args = new ArrayList<>();
    root.path("arguments").forEach(a -> args.add(a.asText()));
    List<Integer> ports = new ArrayList<>();
    root.path("ports").forEach(p -> ports.add(p.asInt()));
    String name = root.path("name").asText("");
    String main = root.path("mainClass").asText("");
    if (name.isBlank() || main.isBlank()) {
      throw new ReleaseException(Failure.USAGE, file + ": 'name' and 'mainClass' are required");
    }
    return new ImageConfigFile(name, root.path("source").asText("unknown"), main,
        repoRoot.resolve(root.path("classes").asText("target/classes")),
        repoRoot.resolve(root.path("classpathFile").asText("target/release-classpath.txt")),
        root.path("projectGroupId").asText(""), args, ports);
  }

  public AppInputs toInputs() throws ReleaseException {
    String title = name.substring(name.lastIndexOf('/') + 1);
    return new AppInputs(title, classes, ClasspathFile.read(classpathFile), mainClass, projectGroupId, arguments,
        ports);
  }
}
