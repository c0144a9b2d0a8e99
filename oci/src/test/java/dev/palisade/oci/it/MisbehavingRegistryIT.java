package dev.palisade.oci.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryConnectionException;
import dev.palisade.oci.registry.RegistryEvent;
import dev.palisade.oci.registry.RegistryProtocolException;
import dev.palisade.oci.registry.RegistryTimeouts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registries that hang, stall mid-blob, fail or refuse connections: the client must give up with
 * the right error in bounded time, never hang.
 */
class MisbehavingRegistryIT {

  private static final RegistryTimeouts SHORT = new RegistryTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
  private static final Duration BOUND = Duration.ofSeconds(20);

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  private RegistryClient client(String host, boolean plainHttp) {
    RegistryClient client = RegistryClient.builder(host).plainHttp(plainHttp).timeouts(SHORT).events(events::add).build();
    resources.add(client);
    return client;
  }

  /** Accepts connections and never writes a byte (nor closes them). */
  private String silentServer() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          held.add(server.accept());
        }
      } catch (IOException closed) {
        // server closed
      }
    }, "silent-registry");
    acceptor.setDaemon(true);
    acceptor.start();
    resources.add(() -> {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
    });
    return "127.0.0.1:" + server.getLocalPort();
  }

  @Test
  void aRegistryThatNeverAnswersTimesOutOverPlainHttp() throws Exception {
    RegistryClient client = client(silentServer(), true);
    long start = System.nanoTime();
    RegistryConnectionException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(RegistryConnectionException.class, () -> client.getManifest("team/app", "v1")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
    assertTrue(took.toMillis() >= 1500, "gave up before the read timeout: " + took);
    assertTrue(took.toSeconds() < 8, "a timeout must not be retried again and again: " + took);
  }

  @Test
  void aRegistryWhoseAcceptQueueIsFullTimesOutConnecting() throws Exception {
    // Never accepts: once its backlog is full the kernel drops SYNs and connect() waits.
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    resources.add(server);
    List<Socket> fillers = new ArrayList<>();
    resources.add(() -> {
      for (Socket socket : fillers) {
        socket.close();
      }
    });
    for (int i = 0; i < 8; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(server.getLocalSocketAddress(), 300);
        fillers.add(socket);
      } catch (SocketTimeoutException full) {
        socket.close();
        break;
      }
    }
    RegistryClient client = client("127.0.0.1:" + server.getLocalPort(), true);
    long start = System.nanoTime();
    RegistryConnectionException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(RegistryConnectionException.class, () -> client.getManifest("team/app", "v1")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("127.0.0.1:" + server.getLocalPort()), e.getMessage());
    assertTrue(e.getMessage().contains("time"), e.getMessage());
    assertTrue(took.toSeconds() < 8, "a connect timeout must not be retried again and again: " + took);
  }

  @Test
  void aRegistryThatNeverAnswersTheTlsHandshakeTimesOut() throws Exception {
    RegistryClient client = client(silentServer(), false);
    long start = System.nanoTime();
    RegistryConnectionException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(RegistryConnectionException.class, () -> client.getManifest("team/app", "v1")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("did not answer in time") || e.getMessage().contains("TLS"), e.getMessage());
    assertTrue(took.toSeconds() < 8, "took " + took);
  }

  @Test
  void aBlobThatStallsHalfwayFailsWithAnIoErrorInsteadOfHanging() throws Exception {
    byte[] content = new byte[4096];
    Digest digest = Digest.sha256(content);
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    resources.add(server);
    Thread responder = new Thread(() -> {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        // Read the request head, answer with the full length but send only half, then stall.
        int state = 0;
        while (state < 4) {
          int b = in.read();
          if (b < 0) {
            return;
          }
          state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + content.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(content, 0, content.length / 2);
        out.flush();
        Thread.sleep(30_000);
      } catch (IOException | InterruptedException ignored) {
        // test over
      }
    }, "stalling-registry");
    responder.setDaemon(true);
    responder.start();

    RegistryClient client = client("127.0.0.1:" + server.getLocalPort(), true);
    IOException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(IOException.class, () -> {
      try (InputStream in = client.openBlob("team/app", Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, content.length))) {
        TestImages.drain(in);
      }
    }));
    assertTrue(e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException, e.toString());
    responder.interrupt();
  }

  /** An HTTP server answering every request with {@code status}; counts requests. */
  private String answering(int status, AtomicInteger requests, Consumer<com.sun.net.httpserver.Headers> headers)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        requests.incrementAndGet();
        byte[] body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"storage backend exploded\"}]}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.accept(exchange.getResponseHeaders());
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    resources.add(() -> server.stop(0));
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void aServerErrorIsAProtocolErrorWithTheStatusAndIsNotRetried() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    RegistryClient client = client(answering(500, requests, h -> {}), true);
    long start = System.nanoTime();
    RegistryProtocolException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(RegistryProtocolException.class, () -> client.getManifest("team/app", "v1")));
    assertTrue(e.getMessage().contains("500"), e.getMessage());
    assertTrue(e.getMessage().contains("team/app:v1"), e.getMessage());
    assertTrue(e.getMessage().contains("storage backend exploded"), e.getMessage());
    assertEquals(1, requests.get());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 2);

    Digest digest = Digest.sha256(new byte[1]);
    RegistryProtocolException blob = assertThrows(RegistryProtocolException.class,
        () -> client.openBlob("team/app", Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, 1)));
    assertTrue(blob.getMessage().contains("500") && blob.getMessage().contains(digest.toString()), blob.getMessage());
  }

  @Test
  void anOverloadedRegistryIsRetriedAFewTimesThenReported() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    RegistryClient client = client(answering(503, requests, h -> h.set("Retry-After", "0")), true);
    RegistryProtocolException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(RegistryProtocolException.class, () -> client.getManifest("team/app", "v1")));
    assertTrue(e.getMessage().contains("503"), e.getMessage());
    assertEquals(3, requests.get());
    assertEquals(2, events.stream().filter(ev -> ev.kind() == RegistryEvent.Kind.RETRY).count(), events.toString());
  }

  @Test
  void aClosedPortIsAConnectionError() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RegistryClient client = client("127.0.0.1:" + port, true);
    RegistryConnectionException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(RegistryConnectionException.class, () -> client.getManifest("team/app", "v1")));
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }
}
