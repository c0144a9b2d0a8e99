package dev.palisade.release;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A small application in a real git repository, released like the gateway: release/base.yaml (the
 * real pinned base), release/image.yaml, compiled classes and resources committed under
 * app/classes, and, untracked like Maven's target/, a dependency:list classpath file naming two
 * jars copied into the clone (one third-party, one "project" jar).
 */
public final class TestRepo {

  public static final Instant COMMIT_TIME = Instant.parse("2025-06-01T12:00:00Z");
  public static final String IMAGE_NAME = "example.org/palisade/hello";

  private TestRepo() {}

  /** A new repository at {@code dir} with one commit; {@code resources} go to app/classes (path → text). */
  public static Git create(Path dir, Map<String, String> resources) throws Exception {
    Files.createDirectories(dir.resolve("release"));
    Files.copy(TestBase.BASE_YAML, dir.resolve("release/base.yaml"));
    Files.writeString(dir.resolve("release/image.yaml"), """
        name: %s
        source: https://example.org/palisade/hello
        mainClass: hello.Main
        classes: app/classes
        classpathFile: app/classpath.txt
        projectGroupId: dev.palisade
        arguments: [--greet]
        ports: [8080]
        """.formatted(IMAGE_NAME));
    Files.writeString(dir.resolve(".gitignore"), "app/libs/\napp/classpath.txt\n");
    compileMain(dir.resolve("app/classes"));
    for (Map.Entry<String, String> r : resources.entrySet()) {
      Path file = dir.resolve("app/classes").resolve(r.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, r.getValue());
    }
    Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    git.add().addFilepattern(".").call();
    commit(git, "hello");
    return git;
  }

  public static RevCommit commit(Git git, String message) throws Exception {
    PersonIdent who = new PersonIdent("Rel Ease", "rel@example.org", Date.from(COMMIT_TIME), TimeZone.getTimeZone("UTC"));
    return git.commit().setAll(true).setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  /** A clone at {@code dir}, with its (untracked) jars and classpath file written like prepare-gateway.sh does. */
  public static Path cloneTo(Path origin, Path dir) throws Exception {
    try (Git clone = Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(dir.toFile()).call()) {
      writeClasspath(dir);
    }
    return dir;
  }

  public static void writeClasspath(Path repo) throws IOException, URISyntaxException {
    Path jar = Path.of(picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path libs = Files.createDirectories(repo.resolve("app/libs"));
    Files.copy(jar, libs.resolve("picocli-4.7.7.jar"));
    Files.copy(jar, libs.resolve("palisade-greeting-1.0.0.jar"));
    Files.writeString(repo.resolve("app/classpath.txt"), "\nThe following files have been resolved:\n"
        + "   info.picocli:picocli:jar:4.7.7:compile:" + libs.resolve("picocli-4.7.7.jar") + " -- module info.picocli\n"
        + "   dev.palisade:palisade-greeting:jar:1.0.0:compile:" + libs.resolve("palisade-greeting-1.0.0.jar") + "\n\n",
        StandardCharsets.UTF_8);
  }

  /** Sets every file's mtime under {@code dir} (but .git) to {@code time}. */
  public static void touchAll(Path dir, Instant time) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> !p.toString().contains("/.git/")).toList()) {
        Files.setLastModifiedTime(p, FileTime.from(time));
      }
    }
  }

  private static void compileMain(Path classes) throws IOException {
    Path src = Files.createTempDirectory("hello-src");
    Path java = src.resolve("hello/Main.java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, """
        package hello;
        public final class Main {
          public static void main(String[] args) throws Exception {
            var in = Main.class.getResourceAsStream("/hello/greeting.txt");
            System.out.println(in == null ? "hello" : new String(in.readAllBytes(), "UTF-8").strip());
          }
        }
        """);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), java.toString()));
    if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IOException("javac failed on the test app");
    }
    dev.palisade.release.FileTrees.deleteTree(src);
  }
}
