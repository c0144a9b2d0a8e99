package dev.palisade.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.config.ProviderConfig;
import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.provider.Json;
import dev.palisade.gateway.provider.ProviderAdapter;
import dev.palisade.gateway.provider.StreamTranslator;
import dev.palisade.gateway.provider.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.Map;

/** Anthropic's Messages API behind the OpenAI chat API. */
public final class AnthropicAdapter implements ProviderAdapter {

  static final String API_VERSION = "2023-06-01";
  private final ProviderConfig config;

  public AnthropicAdapter(ProviderConfig config) {
    this.config = config;
  }

  @Override
  public UpstreamRequest chat(ObjectNode body, ProviderKey key) {
    ObjectNode messages = AnthropicRequests.toMessages(body);
    return new UpstreamRequest(
        HttpMethod.POST,
        config.baseUrl() + "/messages",
        Map.of(
            "x-api-key", key.value().reveal(),
            "anthropic-version", API_VERSION,
            "content-type", "application/json"),
        Buffer.buffer(Json.bytes(messages)));
  }

  @Override
  public boolean servesEmbeddings() {
    return false;
  }

  @Override
  public UpstreamRequest embeddings(ObjectNode body, ProviderKey key) {
    throw new UnsupportedOperationException("Anthropic has no embeddings API");
  }

  @Override
  public UpstreamRequest probe(ProviderKey key) {
    return new UpstreamRequest(
        HttpMethod.GET,
        config.baseUrl() + "/models",
        Map.of("x-api-key", key.value().reveal(), "anthropic-version", API_VERSION),
        null);
  }

  @Override
  public ObjectNode chatResponse(byte[] body) throws IOException {
    return AnthropicResponses.toChatCompletion(Json.parse(body));
  }

  @Override
  public boolean speaksOpenAi() {
    return false;
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new AnthropicStreamTranslator();
  }
}
