package dev.palisade.gateway.provider;

/** Turns one provider's stream events into OpenAI chunks; one instance per stream. */
public interface StreamTranslator {
  void onEvent(String event, String data, ChunkSink sink);
}
