package dev.palisade.release.image;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What goes into the image from the application: its compiled classes and resources (Maven's
 * {@code target/classes}), its runtime dependencies, the main class, and how to tell the project's
 * own modules from third-party libraries (they change more often, so they get their own layer).
 */
public record AppInputs(String name, Path classesDir, List<ClasspathEntry> dependencies, String mainClass,
    String projectGroupId, List<String> arguments, List<Integer> ports) {

  public AppInputs {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(classesDir, "classesDir");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(projectGroupId, "projectGroupId");
    dependencies = List.copyOf(dependencies);
    arguments = List.copyOf(arguments);
    ports = List.copyOf(ports);
  }

  public boolean isProjectDependency(ClasspathEntry e) {
    return e.groupId().equals(projectGroupId);
  }

  /** Files under the classes directory, sorted, as relative paths. */
  public List<Path> classFiles() throws ReleaseException {
    try (Stream<Path> walk = Files.walk(classesDir)) {
      return walk.filter(Files::isRegularFile).map(classesDir::relativize).sorted().toList();
    } catch (IOException e) {
      throw new ReleaseException(Failure.USAGE, "cannot read " + classesDir + " (build the application first): "
          + e.getMessage(), e);
    }
  }

  /** Checks that the inputs exist before a long build starts. */
  public AppInputs validated() throws ReleaseException {
    if (!Files.isDirectory(classesDir)) {
      throw new ReleaseException(Failure.USAGE, classesDir + " is not a directory; build the application first");
    }
    String mainFile = mainClass.replace('.', '/') + ".class";
    if (!Files.isRegularFile(classesDir.resolve(mainFile))) {
      throw new ReleaseException(Failure.USAGE, "main class " + mainClass + " is not in " + classesDir);
    }
    return this;
  }
}
