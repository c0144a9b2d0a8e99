package dev.palisade.gateway.routing;

/**
 * One place a request can go: a provider and the model name it is sent under.
 *
 * @param upstreamModel the provider's model name, already renamed (or the client's own name)
 * @param modelLabel the bounded metrics label: the configured name, or {@code *} for pass-through
 */
public record Target(String provider, String upstreamModel, String modelLabel) {}
