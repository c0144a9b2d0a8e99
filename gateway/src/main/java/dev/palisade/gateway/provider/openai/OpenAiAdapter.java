package dev.palisade.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.config.ProviderConfig;
import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.config.Protocol;
import dev.palisade.gateway.provider.ChunkSink;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.provider.ProviderAdapter;
import dev.palisade.gateway.provider.StreamTranslator;
import dev.palisade.gateway.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * OpenAI and OpenAI-compatible providers, and Azure OpenAI (deployment in the path,
 * {@code api-version} in the query, key in the {@code api-key} header).
 */
public final class OpenAiAdapter implements ProviderAdapter {

  private final ProviderConfig config;
  private final boolean azure;

  public OpenAiAdapter(ProviderConfig config) {
    this.config = config;
    this.azure = config.protocol() == Protocol.AZURE_OPENAI;
  }

  @Override
  public UpstreamRequest chat(ObjectNode body, ProviderKey key) {
    return post(url("chat/completions", body.path("model").asText()), body, key);
  }

  @Override
  public boolean servesEmbeddings() {
    return true;
  }

  @Override
  public UpstreamRequest embeddings(ObjectNode body, ProviderKey key) {
    return post(url("embeddings", body.path("model").asText()), body, key);
  }

  @Override
  public UpstreamRequest probe(ProviderKey key) {
    String url =
        azure
            ? config.baseUrl() + "/openai/models?api-version=" + encode(config.apiVersion())
            : config.baseUrl() + "/models";
    return new UpstreamRequest(HttpMethod.GET, url, auth(key), null);
  }

  @Override
  public ObjectNode chatResponse(byte[] body) throws IOException {
    JsonNode node = Json.parse(body);
    if (!(node instanceof ObjectNode o)) {
      throw new IOException("the provider's response is not a JSON object");
    }
    return o;
  }

  @Override
  public boolean speaksOpenAi() {
    return true;
  }

  @Override
  public StreamTranslator streamTranslator() {
    return OpenAiAdapter::relay;
  }

  private static void relay(String event, String data, ChunkSink sink) {
    if ("[DONE]".equals(data.strip())) {
      sink.done();
      return;
    }
    JsonNode node;
    try {
      node = Json.parse(data);
    } catch (IOException e) {
      sink.error("the provider sent a stream event that is not JSON");
      return;
    }
    if (node.has("error")) {
      JsonNode message = node.path("error").path("message");
      sink.error(message.isTextual() ? message.asText() : "the provider reported an error");
      return;
    }
    if (node instanceof ObjectNode o) {
      sink.chunk(o, data);
    }
  }

  private UpstreamRequest post(String url, ObjectNode body, ProviderKey key) {
    Map<String, String> headers = new java.util.HashMap<>(auth(key));
    headers.put("content-type", "application/json");
    return new UpstreamRequest(HttpMethod.POST, url, headers, Buffer.buffer(Json.bytes(body)));
  }

  private String url(String operation, String model) {
    if (azure) {
      return config.baseUrl() + "/openai/deployments/" + encode(model) + "/" + operation
          + "?api-version=" + encode(config.apiVersion());
    }
    return config.baseUrl() + "/" + operation;
  }

  private Map<String, String> auth(ProviderKey key) {
    return azure
        ? Map.of("api-key", key.value().reveal())
        : Map.of("authorization", "Bearer " + key.value().reveal());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
