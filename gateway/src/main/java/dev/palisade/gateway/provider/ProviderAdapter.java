package dev.palisade.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.config.ProviderKey;
import java.io.IOException;

/** Speaks one provider protocol: builds its requests and turns its answers into OpenAI's shape. */
public interface ProviderAdapter {

  /**
   * @param body the client's OpenAI request, with {@code model} already set to the upstream name
   */
  UpstreamRequest chat(ObjectNode body, ProviderKey key);

  /** Whether {@link #embeddings} is available. */
  boolean servesEmbeddings();

  UpstreamRequest embeddings(ObjectNode body, ProviderKey key);

  /** A cheap authenticated request whose 2xx proves a key works again. */
  UpstreamRequest probe(ProviderKey key);

  /** A successful non-streaming chat response, in OpenAI's shape. */
  ObjectNode chatResponse(byte[] body) throws IOException;

  /** True when the provider's answers are already OpenAI-shaped and can pass through as bytes. */
  boolean speaksOpenAi();

  StreamTranslator streamTranslator();
}
