package dev.palisade.gateway.config;

/**
 * What the gateway does with the upstream stream when its client goes away mid-stream.
 * {@link #CANCEL} (the default) resets the upstream request at once: the provider stops
 * generating, and the consumer is billed the input plus an estimate of the output streamed so
 * far. {@link #DRAIN} reads the upstream stream to its end without forwarding it, so the
 * provider's own usage is billed exactly, at the cost of paying for output nobody reads.
 */
public enum DisconnectPolicy {
  CANCEL,
  DRAIN
}
