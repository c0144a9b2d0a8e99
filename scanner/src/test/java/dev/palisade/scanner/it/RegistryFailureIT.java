package dev.palisade.scanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registries that misbehave: one that accepts connections and never answers, one that answers 500
 * to everything, one that wants credentials nobody gave. Each ends quickly with exit 4 and a line
 * that says what happened.
 */
class RegistryFailureIT {

  private final List<AutoCloseable> started = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable server : started) {
      server.close();
    }
  }

  private static CliRun scan(String host) {
    return CliRun.of("scan", host + "/palisade/app:1", "--insecure-registry", host, "--registry-timeout", "2", "--quiet");
  }

  @Test
  void hangingRegistryTimesOut() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          accepted.add(server.accept()); // and never answer
        } catch (IOException e) {
          return;
        }
      }
    }, "hanging-registry");
    acceptor.setDaemon(true);
    acceptor.start();
    started.add(() -> {
      server.close();
      for (Socket socket : accepted) {
        socket.close();
      }
    });
    String host = "127.0.0.1:" + server.getLocalPort();

    long begin = System.nanoTime();
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> scan(host));
    Duration took = Duration.ofNanos(System.nanoTime() - begin);

    assertEquals(ExitCodes.REGISTRY, run.exitCode(), run.toString());
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "gave up after " + took + ": " + run);
    assertFalse(accepted.isEmpty(), "the scanner did connect");
    String err = run.err().toLowerCase(Locale.ROOT);
    assertTrue(err.contains(host) && (err.contains("in time") || err.contains("timed out") || err.contains("timeout")),
        "names the registry and the timeout: " + run);
  }

  @Test
  void registryAnswering500() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    String host = serve(500, null, requests);
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> scan(host));
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), run.toString());
    assertTrue(run.err().contains("500"), "names the status: " + run);
    assertTrue(run.err().contains(host), "names the registry: " + run);
    assertTrue(requests.get() >= 1 && requests.get() <= 10, "bounded retries: " + requests.get() + " requests");
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
  }

  @Test
  void registryAnswering401WithoutCredentials() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    String host = serve(401, "Basic realm=\"palisade-test\"", requests);
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> scan(host));
    assertEquals(ExitCodes.REGISTRY, run.exitCode(), run.toString());
    String err = run.err().toLowerCase(Locale.ROOT);
    assertTrue(err.contains("401") || err.contains("auth") || err.contains("credential"),
        "says authentication failed: " + run);
    assertTrue(run.err().contains(host), "names the registry: " + run);
  }

  /** A JDK HttpServer answering every request with {@code status}; returns its HOST:PORT. */
  private String serve(int status, String challenge, AtomicInteger requests) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      if (challenge != null) {
        exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
      }
      exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] body = ("{\"errors\":[{\"code\":\"" + (status == 401 ? "UNAUTHORIZED" : "UNKNOWN")
          + "\",\"message\":\"test registry says " + status + "\"}]}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    started.add(() -> server.stop(0));
    return "127.0.0.1:" + server.getAddress().getPort();
  }
}
