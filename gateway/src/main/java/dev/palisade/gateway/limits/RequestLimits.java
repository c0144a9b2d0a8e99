package dev.palisade.gateway.limits;

/**
 * Bounds on what one client request may hold. Each is checked before the request costs the
 * gateway (or a provider) more than its bytes: the body is not buffered past
 * {@code maxBodyBytes}, and the JSON parser stops at the first value past a bound.
 *
 * @param maxBodyBytes request body (413)
 * @param maxHeaderBytes all request header names and values together (431)
 * @param maxJsonDepth nesting of JSON objects and arrays (400)
 * @param maxStringLength one JSON string value, in characters (400)
 * @param maxJsonTokens JSON tokens in the whole body: bounds the parsed tree's size (400)
 * @param maxMessages entries of {@code messages} in a chat request (400)
 * @param maxTools entries of {@code tools} in a chat request (400; OpenAI's own limit is 128)
 * @param maxEmbeddingInputs entries of an embeddings {@code input} list (400; OpenAI's is 2048)
 */
public record RequestLimits(
    long maxBodyBytes,
    int maxHeaderBytes,
    int maxJsonDepth,
    int maxStringLength,
    long maxJsonTokens,
    int maxMessages,
    int maxTools,
    int maxEmbeddingInputs) {

  public static final RequestLimits DEFAULT =
      new RequestLimits(4L * 1024 * 1024, 16 * 1024, 32, 1_000_000, 1_000_000, 1_000, 128, 2_048);

  public RequestLimits {
    positive("max_body_bytes", maxBodyBytes);
    positive("max_header_bytes", maxHeaderBytes);
    positive("max_json_depth", maxJsonDepth);
    positive("max_string_length", maxStringLength);
    positive("max_json_tokens", maxJsonTokens);
    positive("max_messages", maxMessages);
    positive("max_tools", maxTools);
    positive("max_embedding_inputs", maxEmbeddingInputs);
  }

  public RequestLimits withMaxBodyBytes(long bytes) {
    return new RequestLimits(bytes, maxHeaderBytes, maxJsonDepth, maxStringLength, maxJsonTokens,
        maxMessages, maxTools, maxEmbeddingInputs);
  }

  /**
   * What Netty itself enforces on the header block; past it the connection gets Vert.x's bare
   * 431. The gateway's own check at {@code maxHeaderBytes} answers in OpenAI's error shape, so
   * the hard cap sits well above it.
   */
  public int headerHardCap() {
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(2L * maxHeaderBytes, maxHeaderBytes + 8192L));
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
