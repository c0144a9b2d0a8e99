package dev.palisade.release.image;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the application's resolved runtime classpath as written by {@code mvn dependency:list
 * -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true -DoutputFile=FILE} (see
 * release/prepare-gateway.sh). Maven did the resolution, with the project's dependencyManagement and
 * exclusions, so the image holds exactly what the build tested; order is kept for the classpath.
 */
public final class ClasspathFile {

  private ClasspathFile() {}

  public static List<ClasspathEntry> read(Path file) throws ReleaseException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new ReleaseException(Failure.USAGE, "cannot read the classpath file " + file + " (write it with"
          + " release/prepare-gateway.sh): " + e.getMessage(), e);
    }
    List<ClasspathEntry> entries = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      int module = line.indexOf(" -- ");
      if (module >= 0) {
        line = line.substring(0, module).strip();
      }
      if (line.isEmpty() || !raw.startsWith("   ") || line.equals("none")) {
        continue;
      }
      String[] f = line.split(":", -1);
      // groupId:artifactId:type[:classifier]:version:scope:path
      if (f.length != 6 && f.length != 7) {
        throw new ReleaseException(Failure.USAGE, file + ": cannot parse '" + line + "' (was it written with"
            + " -DoutputAbsoluteArtifactFilename=true?)");
      }
      boolean classified = f.length == 7;
      String type = f[2];
      if (!type.equals("jar")) {
        continue;
      }
      Path jar = Path.of(f[f.length - 1]);
      if (!Files.isRegularFile(jar)) {
        throw new ReleaseException(Failure.USAGE, file + ": " + jar + " does not exist; build the application first");
      }
      entries.add(new ClasspathEntry(f[0], f[1], classified ? f[4] : f[3], classified ? f[3] : null,
          classified ? f[5] : f[4], jar));
    }
    return entries;
  }
}
