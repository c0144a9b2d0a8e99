package dev.palisade.gateway.testing;

import dev.palisade.gateway.config.StateConfig;
import dev.palisade.gateway.config.StateConfig.OnUnavailable;
import dev.palisade.gateway.state.RedisLink;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's real {@code redis-server} on 127.0.0.1 and a free port, without persistence, in a
 * temporary directory. It can be killed (SIGKILL, as a crash) and started again on the same port.
 * {@link #command} speaks RESP over a plain socket, so tests inspect Redis without the code
 * under test.
 */
public final class TestRedis implements AutoCloseable {

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private TestRedis(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /**
   * A connection as a replica's store would open it ({@code key_prefix} "t:", fail_closed), with a
   * short health-check interval so tests see Redis come back quickly.
   */
  public RedisLink link(Vertx vertx, Duration timeout) {
    return link(vertx, url(), timeout);
  }

  /** The same, to any address: a dead port or a server that never answers, for the failure tests. */
  public static RedisLink link(Vertx vertx, String url, Duration timeout) {
    StateConfig config = new StateConfig(
        Optional.of(URI.create(url)), Optional.empty(), "t:", OnUnavailable.FAIL_CLOSED);
    return RedisLink.open(vertx, config, timeout, Duration.ofMillis(100));
  }

  public static TestRedis start() {
    try {
      TestRedis redis = new TestRedis(binary(), Files.createTempDirectory("redis-"), freePort());
      redis.launch();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails (never skips) when redis-server is missing, naming the package to install. */
  static Path binary() {
    List<Path> dirs = new ArrayList<>();
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!p.isBlank()) {
        dirs.add(Path.of(p));
      }
    }
    dirs.addAll(List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin")));
    for (Path d : dirs) {
      Path candidate = d.resolve("redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("redis-server is not installed: apt-get install -y redis-server");
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer PING within 10 s");
  }

  /** SIGKILL: the process dies at once, as in a crash; every connection is reset. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a fresh (empty) redis-server on the same port. */
  public void restart() {
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs one command; returns a simple/bulk string or integer as text, {@code null} for a nil,
   * and a list's items joined by newlines.
   */
  public String command(String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(s.getInputStream());
    }
  }

  private static String read(InputStream in) throws IOException {
    String line = line(in);
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+', ':' -> {
        return rest;
      }
      case '-' -> throw new IllegalStateException("redis error: " + rest);
      case '$' -> {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          return null;
        }
        byte[] b = in.readNBytes(n + 2);
        return new String(b, 0, n, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int n = Integer.parseInt(rest);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(read(in));
        }
        return String.join("\n", items.stream().map(String::valueOf).toList());
      }
      default -> throw new IllegalStateException("unexpected reply " + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read();
        break;
      }
      buf.write(c);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temp dir cleanup only
    }
  }
}
