package dev.palisade.gateway.limits;

import static dev.palisade.gateway.testing.GatewayHarness.HASH_A;
import static dev.palisade.gateway.testing.GatewayHarness.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.gateway.testing.FakeProvider;
import dev.palisade.gateway.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request limits through the real gateway: each just under (200) and just over (4xx, OpenAI shape). */
class LimitsIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static FakeProvider upstream;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeProvider.start("primary");
    gateway = GatewayHarness.start("""
        server:
          host: 127.0.0.1
          port: 0
          event_loops: 1
        limits:
          max_body_bytes: 4096
          max_header_bytes: 2048
          max_json_depth: 10
          max_string_length: 1500
          max_messages: 3
        providers:
          - name: primary
            protocol: openai
            base_url: %s
            keys:
              - id: p1
                value: sk-primary-one
        routes:
          - match: "*"
            targets:
              - provider: primary
        consumers:
          - name: team-a
            key_sha256: %s
            models: ["*"]
        """.formatted(upstream.baseUrl(), HASH_A));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** A chat request padded with whitespace to exactly {@code bytes} bytes. */
  static String chatOfSize(int bytes) {
    String core = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    return core + " ".repeat(bytes - core.length() - 1) + "}";
  }

  static HttpResponse<String> send(String body, String headerName, String headerValue) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + KEY_A).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headerName != null) {
      b.header(headerName, headerValue);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertEquals(code, error.path("code").asText(), r.body());
    assertEquals("invalid_request_error", error.path("type").asText());
    return error;
  }

  @Test
  void bodySize() throws Exception {
    assertEquals(4096, chatOfSize(4096).getBytes(StandardCharsets.UTF_8).length);
    assertEquals(200, send(chatOfSize(4096), null, null).statusCode());
    assertError(send(chatOfSize(4097), null, null), 413, "request_too_large");
  }

  @Test
  void bodySizeWithoutContentLength() throws Exception {
    // curl streams a chunked body, so the limit is enforced while reading, not from the header.
    Process p = new ProcessBuilder(List.of(dev.palisade.gateway.testing.Pki.curl(), "-sS", "-H", "transfer-encoding: chunked",
        "-H", "authorization: Bearer " + KEY_A, "-H", "content-type: application/json",
        "--data-binary", chatOfSize(4097), gateway.baseUrl() + "/v1/chat/completions"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals("request_too_large", JSON.readTree(out).path("error").path("code").asText(), out);
  }

  @Test
  void headerSize() throws Exception {
    HttpResponse<String> small = send(chatOfSize(200), "x-padding", "p".repeat(1000));
    assertEquals(200, small.statusCode());
    JsonNode error = assertError(send(chatOfSize(200), "x-padding", "p".repeat(2100)), 431,
        "request_header_fields_too_large");
    assertTrue(error.path("message").asText().contains("2048"));
  }

  @Test
  void headersPastTheHardCapAreCutOffByTheHttpLayer() throws Exception {
    HttpResponse<String> r = send(chatOfSize(200), "x-padding", "p".repeat(20_000));
    assertEquals(431, r.statusCode(), "Vert.x answers 431 itself past " + 2 * 2048 + "+ bytes");
  }

  @Test
  void jsonDepth() throws Exception {
    // The request object is level 1, messages 2, the message 3; "extra" adds the rest.
    String ok = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"extra\":"
        + "[".repeat(7) + "]".repeat(7) + "}]}";
    assertEquals(200, send(ok, null, null).statusCode());
    String deep = ok.replace("[".repeat(7), "[".repeat(8)).replace("]".repeat(7), "]".repeat(8));
    assertError(send(deep, null, null), 400, "json_too_deep");
  }

  @Test
  void messagesAndStringLength() throws Exception {
    String three = "{\"model\":\"gpt-4o\",\"messages\":[" + "{\"role\":\"user\",\"content\":\"hi\"},".repeat(2)
        + "{\"role\":\"user\",\"content\":\"" + "x".repeat(1500) + "\"}]}";
    assertEquals(200, send(three, null, null).statusCode());
    assertError(send(three.replace("[{", "[{\"role\":\"user\",\"content\":\"hi\"},{"), null, null), 400,
        "too_many_messages");
    assertError(send(three.replace("x".repeat(1500), "x".repeat(1501)), null, null), 400, "string_too_long");
  }
}
