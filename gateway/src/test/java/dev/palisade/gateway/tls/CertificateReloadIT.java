package dev.palisade.gateway.tls;

import static dev.palisade.gateway.testing.Eventually.eventually;
import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.admin.AdminTokens;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.Pki;
import dev.palisade.gateway.testing.ServiceHarness;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate hot reload with real handshakes: certificates made by openssl, files rotated on disk
 * the ways operators and cert-manager do it, and raw JDK TLS connections that show which
 * certificate each new handshake got while a connection opened before keeps working.
 */
class CertificateReloadIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WITHIN = Duration.ofSeconds(15);
  static final String KEY_PASSWORD = "rotation pass phrase 42";

  @TempDir static Path pkiDir;
  static Pki pki;
  static Pki.Leaf first;
  static Pki.Leaf second;
  static Pki.Leaf third;
  static Pki.Leaf expired;
  static FakeProvider upstream;

  @TempDir Path files;
  ServiceHarness gw;
  final List<LogRecord> logged = new ArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (logged) {
        logged.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void certificates() {
    pki = Pki.create(pkiDir, "palisade");
    first = pki.server("first", KEY_PASSWORD);
    second = pki.server("second", KEY_PASSWORD);
    third = pki.server("third", KEY_PASSWORD);
    expired = pki.server("expired", KEY_PASSWORD, -1);
    upstream = FakeProvider.start("up");
  }

  @AfterEach
  void stop() {
    Logger.getLogger("dev.palisade.gateway.reload").removeHandler(capture);
    if (gw != null) {
      gw.close();
    }
  }

  /** Starts the gateway serving {@code certFile}/{@code keyFile}, with {@code tlsExtra} in server.tls. */
  void start(Path certFile, Path keyFile, String tlsExtra, boolean watch, int eventLoops) throws IOException {
    Logger.getLogger("dev.palisade.gateway.reload").addHandler(capture);
    gw = ServiceHarness.start("""
        server:
          host: 127.0.0.1
          port: 0
          event_loops: %d
          tls:
            cert_file: %s
            key_file: %s
            key_password: "%s"
        %s
        admin: {host: 127.0.0.1, port: 0, audit_log: "%%DIR%%/audit.jsonl"}
        lifecycle: {watch_config: %s, poll_interval: 100ms, debounce: 300ms, drain_timeout: 5s}
        providers:
          - name: up
            protocol: openai
            base_url: %s
            keys: [{id: k1, value: sk-cert-reload-provider-key-1}]
        routes:
          - {match: "*", targets: [{provider: up}]}
        consumers:
          - {name: team-a, key_sha256: %s, models: ["*"]}
        """.formatted(eventLoops, certFile, keyFile, KEY_PASSWORD, tlsExtra, watch, upstream.baseUrl(), HASH_A),
        List.of(AdminTokens.hashed("env", ServiceHarness.ADMIN_TOKEN)));
  }

  /** Copies a leaf's files over the served paths, certificate first (a plain rewrite in place). */
  static void rewrite(Pki.Leaf leaf, Path certFile, Path keyFile) throws IOException {
    Files.write(certFile, Files.readAllBytes(leaf.cert()));
    Files.write(keyFile, Files.readAllBytes(leaf.key()));
  }

  long tlsReloads(String result) {
    return gw.service.server().runtime().metrics().tlsReloads.value(result);
  }

  BigInteger servedSerial() throws IOException {
    try (TlsConnection c = TlsConnection.open(gw.service.server().port(), pki.trusting())) {
      return c.serial();
    }
  }

  boolean serves(Pki.Leaf leaf) {
    try {
      return servedSerial().equals(leaf.certificate().getSerialNumber());
    } catch (IOException e) {
      return false;
    }
  }

  String audit() {
    try {
      return Files.readString(gw.dir.resolve("audit.jsonl"));
    } catch (IOException e) {
      return "";
    }
  }

  String log() {
    StringBuilder out = new StringBuilder();
    synchronized (logged) {
      logged.forEach(r -> out.append(r.getLevel()).append(' ').append(r.getMessage()).append('\n'));
    }
    return out.toString();
  }

  @Test
  void rotatedInPlaceEveryEventLoopHandsOutTheNewCertificateAndOpenConnectionsKeepWorking() throws Exception {
    Path cert = files.resolve("tls.crt");
    Path key = files.resolve("tls.key");
    rewrite(first, cert, key);
    start(cert, key, "", true, 3);
    try (TlsConnection before = TlsConnection.open(gw.service.server().port(), pki.trusting())) {
      assertEquals(first.certificate().getSerialNumber(), before.serial());
      assertEquals(200, before.get("/healthz"));

      rewrite(second, cert, key);
      eventually("a new handshake gets the rotated certificate", WITHIN, () -> serves(second));
      // Vert.x spreads accepted connections over the 3 event loops in turn: 12 handshakes cover
      // every loop several times, and each must present the new certificate.
      for (int i = 0; i < 12; i++) {
        assertEquals(second.certificate().getSerialNumber(), servedSerial(), "handshake " + i);
      }

      assertEquals(200, before.get("/healthz"), "the connection opened before the rotation still works");
      assertEquals(first.certificate().getSerialNumber(), before.serial(), "and keeps its session");
    }
    eventually("the reload is counted", () -> tlsReloads("ok") == 1); // counted just after the swap
    assertEquals(0, tlsReloads("refused"), "the debounce kept a half-rotated pair from being tried");
    String metrics = gw.service.server().runtime().metrics().render();
    long notAfter = second.certificate().getNotAfter().getTime() / 1000;
    assertTrue(metrics.contains("gateway_tls_certificate_expiry_seconds " + (double) notAfter), metrics);
    assertTrue(metrics.contains("gateway_tls_reloads_total{result=\"ok\"} 1"), metrics);
    eventually("the watch's reload is audited", () -> audit().contains("\"actor\":\"certificate-watch\",\"action\":\"tls.reload\""));
    assertFalse(log().contains(KEY_PASSWORD), log());
  }

  @Test
  void aKubernetesSecretVolumeSymlinkSwapIsSeen() throws Exception {
    // The layout kubelet gives a mounted Secret: files are symlinks through ..data, which points
    // at a timestamped directory; an update writes a new directory and renames a new ..data link
    // over the old one, so the files' own paths never change.
    Path secret = Files.createDirectory(files.resolve("secret"));
    Path v1 = Files.createDirectory(secret.resolve("..2026_11_22_10_00_00.1"));
    Files.copy(first.cert(), v1.resolve("tls.crt"));
    Files.copy(first.key(), v1.resolve("tls.key"));
    Files.createSymbolicLink(secret.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
    start(secret.resolve("tls.crt"), secret.resolve("tls.key"), "", true, 2);
    assertTrue(serves(first));

    Path v2 = Files.createDirectory(secret.resolve("..2026_11_22_10_05_00.2"));
    Files.copy(second.cert(), v2.resolve("tls.crt"));
    Files.copy(second.key(), v2.resolve("tls.key"));
    Files.createSymbolicLink(secret.resolve("..data_tmp"), v2.getFileName());
    Files.move(secret.resolve("..data_tmp"), secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(v1.resolve("tls.crt"));
    Files.delete(v1.resolve("tls.key"));
    Files.delete(v1);

    eventually("the certificate behind the swapped ..data link is served", WITHIN, () -> serves(second));
    eventually("the reload is counted", () -> tlsReloads("ok") == 1);
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAndTheOldCertificateKeepsServing() throws Exception {
    Path cert = files.resolve("tls.crt");
    Path key = files.resolve("tls.key");
    rewrite(first, cert, key);
    start(cert, key, "", true, 2);

    Files.write(cert, Files.readAllBytes(second.cert()));
    Files.write(key, Files.readAllBytes(third.key())); // another pair's key
    eventually("the mismatched pair is refused", WITHIN, () -> tlsReloads("refused") == 1);
    assertTrue(serves(first), "the old certificate keeps serving");
    Thread.sleep(600); // a few more polls: a refused content is not retried (or counted) again
    assertEquals(1, tlsReloads("refused"));
    assertEquals(0, tlsReloads("ok"));
    String log = log();
    assertTrue(log.contains(key + ": the key is not the key of the certificate in " + cert), log);
    assertFalse(log.contains("PRIVATE KEY") || log.contains(KEY_PASSWORD), log);

    Files.write(key, Files.readAllBytes(second.key())); // the rotation completes
    eventually("the completed pair is served", WITHIN, () -> serves(second));
    eventually("the reload is counted", () -> tlsReloads("ok") == 1);
  }

  @Test
  void anExpiredCertificateIsRefusedAndAnAdminReloadReportsIt() throws Exception {
    Path cert = files.resolve("tls.crt");
    Path key = files.resolve("tls.key");
    rewrite(first, cert, key);
    start(cert, key, "", false, 1); // no watch: the admin call is the only trigger

    rewrite(expired, cert, key);
    HttpResponse<String> refused = gw.admin("POST", "/admin/reload", null);
    assertEquals(422, refused.statusCode(), refused.body());
    JsonNode body = JSON.readTree(refused.body());
    assertEquals("unchanged", body.path("result").asText(), "the config itself did not change");
    assertEquals("refused", body.path("tls").path("result").asText(), body.toString());
    assertTrue(body.path("tls").path("error").asText().startsWith(cert + ": the certificate (serial "
        + expired.certificate().getSerialNumber().toString(16) + ") expired at "), body.toString());
    assertEquals(first.certificate().getSerialNumber().toString(16), body.path("tls").path("serial").asText());
    assertTrue(serves(first));
    assertEquals(1, tlsReloads("refused"));

    rewrite(second, cert, key);
    HttpResponse<String> applied = gw.admin("POST", "/admin/reload", null);
    assertEquals(200, applied.statusCode(), applied.body());
    assertEquals("applied", JSON.readTree(applied.body()).path("tls").path("result").asText());
    assertTrue(serves(second));
    String audit = Files.readString(gw.dir.resolve("audit.jsonl"));
    assertTrue(audit.contains("tls_refused"), audit);
  }

  @Test
  void aRotatedClientCaDecidesWhoseClientCertificatesAreAccepted() throws Exception {
    Pki oldClients = Pki.create(pkiDir, "old-clients");
    Pki newClients = Pki.create(pkiDir, "new-clients");
    Pki.Leaf oldClient = oldClients.client("old-client", "/CN=old-client", "DNS:old.palisade.test", null);
    Pki.Leaf newClient = newClients.client("new-client", "/CN=new-client", "DNS:new.palisade.test", null);
    Path cert = files.resolve("tls.crt");
    Path key = files.resolve("tls.key");
    Path clientCa = files.resolve("clients-ca.pem");
    rewrite(first, cert, key);
    Files.copy(oldClients.caCert(), clientCa);
    start(cert, key, "    client_ca_file: " + clientCa + "\n    client_auth: required", true, 2);
    // pki.trusting(x): trusts the server's CA and presents x, whichever CA issued x.
    assertTrue(healthy(pki.trusting(oldClient)));
    assertFalse(healthy(pki.trusting(newClient)));

    Files.write(clientCa, Files.readAllBytes(newClients.caCert()));
    eventually("a client certificate from the new CA is accepted", WITHIN, () -> healthy(pki.trusting(newClient)));
    assertFalse(healthy(pki.trusting(oldClient)), "one from the old CA is refused");
    assertFalse(healthy(pki.trusting()), "and none at all still fails: client_auth stays required");
    eventually("the reload is counted", () -> tlsReloads("ok") == 1);
  }

  /** A full handshake and a request on it: with required client auth a refusal may only show on read. */
  boolean healthy(SSLContext ssl) {
    try (TlsConnection c = TlsConnection.open(gw.service.server().port(), ssl)) {
      return c.get("/healthz") == 200;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theStartRefusesAnExpiredCertificateNamingTheFile() throws Exception {
    Path cert = files.resolve("tls.crt");
    Path key = files.resolve("tls.key");
    rewrite(expired, cert, key);
    dev.palisade.gateway.GatewayException e =
        assertThrows(dev.palisade.gateway.GatewayException.class, () -> start(cert, key, "", true, 1));
    assertEquals(dev.palisade.gateway.ExitCode.CONFIG, e.exitCode());
    assertTrue(e.getMessage().startsWith("server.tls: " + cert + ": the certificate (serial "), e.getMessage());
    assertTrue(e.getMessage().contains("expired at"), e.getMessage());
  }

  /** One raw TLS connection speaking HTTP/1.1 keep-alive, so a test controls which socket is used. */
  static final class TlsConnection implements Closeable {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private TlsConnection(SSLSocket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    static TlsConnection open(int port, SSLContext ssl) throws IOException {
      SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return new TlsConnection(socket);
    }

    BigInteger serial() throws IOException {
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** Sends a GET and reads the whole response; returns its status. */
    int get(String path) throws IOException {
      out.write(("GET " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = line();
      long length = 0;
      for (String h = line(); !h.isEmpty(); h = line()) {
        if (h.toLowerCase().startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        }
      }
      if (in.readNBytes((int) length).length != length) {
        throw new IOException("response body cut short");
      }
      return Integer.parseInt(status.split(" ")[1]);
    }

    private String line() throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (b != '\r') {
          buf.write(b);
        }
      }
      return buf.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
