package dev.palisade.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives a translated stream in OpenAI's chunk format. */
public interface ChunkSink {

  /**
   * One {@code chat.completion.chunk}.
   *
   * @param raw the chunk exactly as the provider sent it when no translation was needed (so the
   *     relay can forward the bytes as they are), else null
   */
  void chunk(ObjectNode chunk, String raw);

  /** The provider finished the stream properly. */
  void done();

  /** The provider reported an error inside the stream. */
  void error(String message);
}
