package dev.palisade.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts for reservations before a call and for bills when a provider reports no usage.
 * o200k_base is the tokenizer of current OpenAI models; for other vendors it is an estimate,
 * which is all a reservation needs.
 */
public final class TokenEstimator {

  /** OpenAI's documented framing overhead per chat message. */
  private static final int PER_MESSAGE = 4;

  private static final class Holder {
    static final Encoding ENCODING =
        Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private TokenEstimator() {}

  /**
   * Loads the vocabulary (a few seconds the first time). Called once at start so the first
   * request does not block an event loop with it.
   */
  public static void warmUp() {
    count("warm up");
  }

  public static int count(String text) {
    return text.isEmpty() ? 0 : Holder.ENCODING.countTokensOrdinary(text);
  }

  /** Tokens of the messages (text parts only) plus the per-message framing. */
  public static long chatInput(JsonNode body) {
    long total = 3;
    for (JsonNode m : body.path("messages")) {
      total += PER_MESSAGE;
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        total += count(content.asText());
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          total += part.has("text") ? count(part.path("text").asText()) : 85; // image tile
        }
      }
      for (JsonNode call : m.path("tool_calls")) {
        total += count(call.path("function").path("arguments").asText(""));
      }
    }
    for (JsonNode tool : body.path("tools")) {
      total += count(tool.toString());
    }
    return total;
  }

  /** Tokens of an embeddings input: a string or a list of strings (token arrays count as is). */
  public static long embeddingsInput(JsonNode input) {
    if (input == null) {
      return 0;
    }
    if (input.isTextual()) {
      return count(input.asText());
    }
    long total = 0;
    for (JsonNode item : input) {
      total += item.isTextual() ? count(item.asText()) : item.isArray() ? item.size() : 1;
    }
    return total;
  }
}
