package dev.palisade.gateway.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Applies {@link RequestLimits} to one request: headers, body size, and the JSON body. JSON
 * bounds are Jackson's own {@link StreamReadConstraints}, so the parser stops at the first token
 * past a bound instead of building the tree and walking it afterwards.
 */
public final class RequestGuard {

  private final RequestLimits limits;
  private final ObjectMapper mapper;

  public RequestGuard(RequestLimits limits) {
    this.limits = limits;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonDepth())
            .maxStringLength(limits.maxStringLength())
            .maxTokenCount(limits.maxJsonTokens())
            .maxDocumentLength(limits.maxBodyBytes())
            .build();
    this.mapper = new ObjectMapper(JsonFactory.builder().streamReadConstraints(constraints).build());
  }

  public RequestLimits limits() {
    return limits;
  }

  /** The body parsed within the limits, or why not. */
  public record Parsed(JsonNode json, LimitExceeded error) {}

  /** Counts names, values and the {@code ": "} and CRLF of each line, as they came on the wire. */
  public Optional<LimitExceeded> checkHeaders(Iterable<Map.Entry<String, String>> headers) {
    long total = 0;
    for (Map.Entry<String, String> h : headers) {
      total += h.getKey().length() + h.getValue().length() + 4;
    }
    if (total > limits.maxHeaderBytes()) {
      return Optional.of(new LimitExceeded(431, "request_header_fields_too_large",
          "The request headers take " + total + " bytes, more than the gateway's limit of "
              + limits.maxHeaderBytes() + " bytes."));
    }
    return Optional.empty();
  }

  public LimitExceeded bodyTooLarge() {
    return new LimitExceeded(413, "request_too_large",
        "The request body is larger than the gateway's limit of " + limits.maxBodyBytes() + " bytes.");
  }

  public Parsed parse(byte[] body) {
    try {
      return new Parsed(mapper.readTree(body), null);
    } catch (StreamConstraintsException e) {
      return new Parsed(null, constraintError(e.getMessage()));
    } catch (IOException e) {
      return new Parsed(null, new LimitExceeded(400, "invalid_json", "The request body is not valid JSON."));
    }
  }

  /** Bounds on the request's lists, checked once the body is known to be a JSON object. */
  public Optional<LimitExceeded> checkShape(ObjectNode body, boolean embeddings) {
    if (embeddings) {
      return tooMany(body.get("input"), limits.maxEmbeddingInputs(), "input", "too_many_inputs");
    }
    Optional<LimitExceeded> messages =
        tooMany(body.get("messages"), limits.maxMessages(), "messages", "too_many_messages");
    return messages.isPresent()
        ? messages
        : tooMany(body.get("tools"), limits.maxTools(), "tools", "too_many_tools");
  }

  private static Optional<LimitExceeded> tooMany(JsonNode list, int max, String field, String code) {
    if (list != null && list.isArray() && list.size() > max) {
      return Optional.of(new LimitExceeded(400, code,
          "'" + field + "' has " + list.size() + " entries, more than the gateway's limit of " + max + "."));
    }
    return Optional.empty();
  }

  /**
   * Jackson names the constraint it enforced in its message ({@code getMaxNestingDepth()} and so
   * on); the message itself holds only numbers, never request content, but the client gets the
   * gateway's own wording with the configured limit.
   */
  private LimitExceeded constraintError(String jacksonMessage) {
    String m = jacksonMessage == null ? "" : jacksonMessage;
    if (m.contains("NestingDepth")) {
      return new LimitExceeded(400, "json_too_deep",
          "The request body nests JSON deeper than the gateway's limit of " + limits.maxJsonDepth() + " levels.");
    }
    if (m.contains("StringLength")) {
      return new LimitExceeded(400, "string_too_long",
          "A string in the request body is longer than the gateway's limit of "
              + limits.maxStringLength() + " characters.");
    }
    if (m.contains("TokenCount")) {
      return new LimitExceeded(400, "json_too_large",
          "The request body holds more JSON values than the gateway's limit of " + limits.maxJsonTokens() + ".");
    }
    if (m.contains("DocumentLength")) {
      return bodyTooLarge();
    }
    return new LimitExceeded(400, "json_limit_exceeded",
        "The request body's JSON is past one of the gateway's limits (a number or a field name is too long).");
  }
}
