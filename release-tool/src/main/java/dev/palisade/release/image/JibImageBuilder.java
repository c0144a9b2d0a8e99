package dev.palisade.release.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.palisade.oci.digest.Digest;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.BaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Builds the application image with jib-core into an OCI layout. Layers, from least to most often
 * changed: third-party dependencies, project dependencies, resources, classes. Jib makes the layers
 * themselves reproducible (sorted entries, 0:0, fixed permissions and times); this class keeps
 * everything else fixed: creation time = commit time, tool name and version, an explicit classpath
 * in Maven's order (a {@code libs/*} wildcard would follow directory order), labels from the
 * commit.
 */
public final class JibImageBuilder {

  public static final String TOOL_NAME = "palisade-release-tool";
  public static final String APP_ROOT = "/app";

  private final Consumer<ReleaseEvent> events;

  public JibImageBuilder(Consumer<ReleaseEvent> events) {
    this.events = events;
  }

  /** Builds into {@code layoutDir} (created; must not exist or be empty) and returns the result. */
  public BuiltImage build(BuildRequest request, Path layoutDir) throws ReleaseException {
    AppInputs app = request.app().validated();
    String tag = request.git().version().replace('+', '_');
    try {
      Path tarDir = Files.createDirectories(request.cacheDir().resolve("tmp"));
      Path tar = Files.createTempFile(tarDir, "image-", ".tar");
      try {
        JibContainerBuilder builder = base(request.base(), request);
        builder.setFormat(ImageFormat.OCI)
            .setPlatforms(Set.of(new Platform(request.base().architecture(), "linux")))
            .setCreationTime(request.git().commitTime())
            .setUser(request.base().uid() + ":" + request.base().uid())
            .setLabels(ImageLabels.of(request.git(), request.base(), request.sourceUrl(), app.name()))
            .setExposedPorts(app.ports().stream().map(Port::tcp).collect(Collectors.toSet()))
            .setFileEntriesLayers(layers(app))
            .setEntrypoint(entrypoint(request.base(), app))
            .setProgramArguments(app.arguments());
        Containerizer containerizer = Containerizer
            .to(TarImage.at(tar).named(request.imageName() + ":" + tag))
            .setToolName(TOOL_NAME)
            .setToolVersion(request.toolVersion())
            .setBaseImageLayersCache(request.cacheDir().resolve("jib/base"))
            .setApplicationLayersCache(request.cacheDir().resolve("jib/application"))
            .addEventHandler(LogEvent.class, this::onJibLog);
        JibContainer container = builder.containerize(containerizer);
        events.accept(new ReleaseEvent("build", "jib built " + container.getDigest()));
        LayoutTar.extract(tar, layoutDir);
        return new BuiltImage(layoutDir, tag, Digest.parse(container.getDigest().toString()),
            Digest.parse(container.getImageId().toString()), request.imageName(), request.git(), app.dependencies());
      } finally {
        Files.deleteIfExists(tar);
      }
    } catch (IOException e) {
      throw new ReleaseException(Failure.BUILD, "image build failed: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ReleaseException(Failure.BUILD, "image build failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException(Failure.BUILD, "interrupted during the image build");
    } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException
        | com.google.cloud.tools.jib.api.RegistryException
        | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new ReleaseException(Failure.BUILD, "image build failed: " + e.getMessage(), e);
    }
  }

  private JibContainerBuilder base(BaseConfig base, BuildRequest request)
      throws com.google.cloud.tools.jib.api.InvalidImageReferenceException {
    if (base.assembled()) {
      return Jib.from(TarImage.at(request.assembledBase().dockerArchive()));
    }
    // A registry base is pulled by digest only (BaseConfig refuses a tag).
    return Jib.from(RegistryImage.named(base.image().toString()));
  }

  /** Jib's own messages; its debug output can include request details, so only info and up. */
  private void onJibLog(LogEvent event) {
    if (event.getLevel().ordinal() <= LogEvent.Level.LIFECYCLE.ordinal()) {
      events.accept(new ReleaseEvent("build", event.getMessage()));
    }
  }

  static List<FileEntriesLayer> layers(AppInputs app) throws ReleaseException {
    FileEntriesLayer.Builder deps = FileEntriesLayer.builder().setName("dependencies");
    FileEntriesLayer.Builder projectDeps = FileEntriesLayer.builder().setName("project-dependencies");
    Map<ClasspathEntry, String> names = jarNames(app.dependencies());
    for (ClasspathEntry e : app.dependencies()) {
      (app.isProjectDependency(e) ? projectDeps : deps)
          .addEntry(e.jar(), AbsoluteUnixPath.get(APP_ROOT + "/libs/" + names.get(e)));
    }
    FileEntriesLayer.Builder resources = FileEntriesLayer.builder().setName("resources");
    FileEntriesLayer.Builder classes = FileEntriesLayer.builder().setName("classes");
    for (Path relative : app.classFiles()) {
      boolean isClass = relative.getFileName().toString().endsWith(".class");
      String unix = relative.toString().replace('\\', '/');
      (isClass ? classes : resources).addEntry(app.classesDir().resolve(relative),
          AbsoluteUnixPath.get(APP_ROOT + (isClass ? "/classes/" : "/resources/") + unix));
    }
    return List.of(deps.build(), projectDeps.build(), resources.build(), classes.build());
  }

  /** File names in /app/libs; two artifacts with the same file name get their group as a prefix. */
  static Map<ClasspathEntry, String> jarNames(List<ClasspathEntry> deps) {
    Set<String> seen = new HashSet<>();
    Set<String> clashing = new HashSet<>();
    for (ClasspathEntry e : deps) {
      if (!seen.add(e.jar().getFileName().toString())) {
        clashing.add(e.jar().getFileName().toString());
      }
    }
    Map<ClasspathEntry, String> names = new LinkedHashMap<>();
    for (ClasspathEntry e : deps) {
      String file = e.jar().getFileName().toString();
      names.put(e, clashing.contains(file) ? e.groupId() + "-" + file : file);
    }
    return names;
  }

  static List<String> entrypoint(BaseConfig base, AppInputs app) {
    Map<ClasspathEntry, String> names = jarNames(app.dependencies());
    List<String> classpath = new ArrayList<>();
    classpath.add(APP_ROOT + "/resources");
    classpath.add(APP_ROOT + "/classes");
    app.dependencies().forEach(e -> classpath.add(APP_ROOT + "/libs/" + names.get(e)));
    return List.of(base.javaHome() + "/bin/java", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75",
        "-cp", String.join(":", classpath), app.mainClass());
  }
}
