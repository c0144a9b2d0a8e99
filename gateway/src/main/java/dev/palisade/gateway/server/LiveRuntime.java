package dev.palisade.gateway.server;

/**
 * The runtime new requests get, and whether the gateway takes traffic. A reload swaps the
 * runtime in one volatile write; a request reads it once when it arrives and keeps it to the end,
 * so requests and streams in flight finish with the config they started with.
 */
final class LiveRuntime {

  private volatile GatewayRuntime current;
  private volatile boolean ready;

  LiveRuntime(GatewayRuntime first) {
    this.current = first;
  }

  GatewayRuntime current() {
    return current;
  }

  void swap(GatewayRuntime next) {
    current = next;
  }

  boolean ready() {
    return ready;
  }

  void ready(boolean ready) {
    this.ready = ready;
  }
}
