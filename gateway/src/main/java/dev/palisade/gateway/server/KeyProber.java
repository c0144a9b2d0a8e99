package dev.palisade.gateway.server;

import dev.palisade.gateway.config.ProviderKey;
import dev.palisade.gateway.provider.UpstreamRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * Probes blocked keys with a cheap authenticated GET (the provider's model list) on each
 * provider's {@code probe_interval}; a 2xx restores the key. This is how a key blocked for a
 * 401/403 comes back once the provider accepts it again, without spending a client's request.
 */
final class KeyProber {

  private final Vertx vertx;
  private final HttpClient client;
  private final GatewayRuntime rt;
  private final java.util.List<Long> timers = new java.util.ArrayList<>();

  KeyProber(Vertx vertx, HttpClient client, GatewayRuntime rt) {
    this.vertx = vertx;
    this.client = client;
    this.rt = rt;
  }

  void start() {
    for (Provider p : rt.providers.values()) {
      long every = Math.max(100, p.config().keyPool().probeInterval().toMillis());
      timers.add(vertx.setPeriodic(every, id -> probeBlocked(p)));
    }
  }

  /** Stops probing (a reload starts a prober for the next runtime's providers). */
  void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void probeBlocked(Provider p) {
    for (ProviderKey key : p.pool().blockedKeys()) {
      UpstreamRequest probe = p.adapter().probe(key);
      RequestOptions options =
          p.withTls(new RequestOptions())
              .setMethod(probe.method())
              .setAbsoluteURI(probe.url())
              .setConnectTimeout(p.config().connectTimeout().toMillis())
              .setTimeout(p.config().firstByteTimeout().toMillis());
      probe.headers().forEach(options::addHeader);
      client.request(options)
          .compose(r -> r.send(Buffer.buffer()))
          .compose(r -> r.body().map(b -> r.statusCode()))
          .onSuccess(status -> {
            if (status >= 200 && status < 300) {
              p.pool().reportSuccess(key.id());
            }
          });
    }
  }
}
