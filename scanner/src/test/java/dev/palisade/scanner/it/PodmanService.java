package dev.palisade.scanner.it;

import dev.palisade.testing.Command;
import dev.palisade.testing.ProcessRunner;
import dev.palisade.testing.RequiredBinaries;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman's Docker-compatible API on a private unix socket: the stand-in for a Docker daemon (there
 * is none on these machines). Everything podman keeps (images, state, events, temporary files)
 * lives in one directory that {@link #close()} deletes; its registries.conf trusts only the
 * registries named at start, over plain HTTP.
 *
 * <pre>{@code
 * podman --root R --runroot RR --storage-driver vfs --cgroup-manager cgroupfs --events-backend file
 *        system service --time=0 unix://SOCK
 * }</pre>
 *
 * <p>vfs storage and cgroupfs need no kernel features beyond a plain directory, so this works in a
 * container as root. Running containers does not work here, and is not needed: images are
 * pulled, inspected and saved.
 */
public final class PodmanService implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Path podman;
  private final Path dir;
  private final Path socket;
  private final Path log;
  private Process process;

  private PodmanService(Path podman, Path dir) {
    this.podman = podman;
    this.dir = dir;
    this.socket = dir.resolve("podman.sock");
    this.log = dir.resolve("service.log");
  }

  /**
   * Starts the service in a fresh temporary directory and waits until {@code GET /_ping} answers.
   *
   * @param insecureRegistries HOST:PORT of registries to reach over plain HTTP
   * @throws IllegalStateException when podman is not installed (naming the package) or does not start
   */
  public static PodmanService start(List<String> insecureRegistries) {
    Path binary = RequiredBinaries.require("podman", "podman");
    Path dir;
    try {
      // A short path: unix socket paths are limited to 107 bytes.
      dir = Files.createTempDirectory(Path.of("/tmp"), "palisade-podman-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PodmanService service = new PodmanService(binary, dir);
    try {
      service.writeConfig(insecureRegistries);
      service.launch();
      return service;
    } catch (IOException e) {
      service.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      service.close();
      throw e;
    }
  }

  /** {@code unix:///.../podman.sock}, for {@code DOCKER_HOST}. */
  public String dockerHost() {
    return "unix://" + socket;
  }

  /** Pulls {@code reference} into this service's storage with the podman CLI (same root). */
  void pull(String reference) {
    List<String> arguments = globalArguments();
    arguments.addAll(List.of("pull", "--quiet", "--signature-policy", dir.resolve("policy.json").toString(), reference));
    ProcessRunner.run(environment(Command.of(podman, arguments).withTimeout(Duration.ofMinutes(2))));
  }

  /** The image ids podman holds, from the Docker API's {@code GET /images/json}. */
  String imagesJson() {
    return get("/images/json");
  }

  private void writeConfig(List<String> insecureRegistries) throws IOException {
    StringBuilder registries = new StringBuilder("unqualified-search-registries = []\n");
    for (String registry : insecureRegistries) {
      registries.append("\n[[registry]]\nlocation = \"").append(registry).append("\"\ninsecure = true\n");
    }
    Files.writeString(dir.resolve("registries.conf"), registries);
    Files.writeString(dir.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}\n");
    Files.writeString(dir.resolve("containers.conf"), "");
    Files.createDirectories(dir.resolve("tmp"));
  }

  private List<String> globalArguments() {
    return new ArrayList<>(List.of(
        "--root", dir.resolve("root").toString(),
        "--runroot", dir.resolve("runroot").toString(),
        "--tmpdir", dir.resolve("libpod-tmp").toString(),
        "--storage-driver", "vfs",
        "--cgroup-manager", "cgroupfs",
        "--events-backend", "file"));
  }

  private Command environment(Command command) {
    return command
        .withEnvironment("CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString())
        .withEnvironment("CONTAINERS_CONF", dir.resolve("containers.conf").toString())
        .withEnvironment("TMPDIR", dir.resolve("tmp").toString());
  }

  private void launch() throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(podman.toString());
    argv.addAll(globalArguments());
    argv.addAll(List.of("system", "service", "--time=0", dockerHost()));
    ProcessBuilder builder = new ProcessBuilder(argv);
    environment(Command.of(podman)).environment().forEach(builder.environment()::put);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(new File("/dev/null"));
    process = builder.start();
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("podman system service exited with status " + process.exitValue()
            + "; log:\n" + logTail());
      }
      if (Files.exists(socket)) {
        try {
          String ping = get("/_ping");
          if (ping.endsWith("OK")) {
            return;
          }
          last = ping;
        } catch (UncheckedIOException e) {
          last = e.getCause().toString();
        }
      }
      sleep(100);
    }
    throw new IllegalStateException("podman did not answer /_ping on " + socket + " within " + START_DEADLINE
        + " (last: " + last + "); log:\n" + logTail());
  }

  /** A minimal HTTP/1.0 GET over the unix socket; returns the body. */
  private String get(String path) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: podman\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)));
      byte[] response = java.nio.channels.Channels.newInputStream(channel).readAllBytes();
      String text = new String(response, StandardCharsets.UTF_8);
      int body = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.") || body < 0) {
        throw new IOException("not an HTTP answer: " + text);
      }
      if (!text.startsWith(" 200", text.indexOf(' ') )) {
        throw new IOException("GET " + path + ": " + text.lines().findFirst().orElse(""));
      }
      return text.substring(body + 4).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the service (SIGTERM, then SIGKILL) and deletes everything it stored. */
  @Override
  public void close() {
    try {
      if (process != null && process.isAlive()) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      deleteTree(dir);
    }
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("[palisade] could not delete podman's directory " + root + ": " + e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for podman", e);
    }
  }
}
