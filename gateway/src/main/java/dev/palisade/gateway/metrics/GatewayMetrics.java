package dev.palisade.gateway.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every metric the gateway exports (listed in gateway/README.md), in Prometheus text format. */
public final class GatewayMetrics {

  /** Copy-on-write: a config reload replaces gauges while /metrics may be rendering. */
  private final List<MetricFamily<?>> families = new CopyOnWriteArrayList<>();

  public final Counter requests =
      add(new Counter("gateway_requests_total", "Requests answered, by route, model, provider, consumer and HTTP status.",
          List.of("route", "model", "provider", "consumer", "status")));
  public final Counter errors =
      add(new Counter("gateway_errors_total", "Requests that ended in an error, by route, consumer and error type.",
          List.of("route", "consumer", "type")));
  public final Histogram latency =
      add(new Histogram("gateway_request_duration_seconds", "Time from request to the last byte sent.",
          List.of("route", "model", "provider", "consumer")));
  public final Histogram timeToFirstToken =
      add(new Histogram("gateway_time_to_first_token_seconds", "Streaming: time from request to the first event sent.",
          List.of("route", "model", "provider")));
  public final Counter tokens =
      add(new Counter("gateway_tokens_total", "Tokens billed, by model, consumer and direction (input/output).",
          List.of("model", "consumer", "direction")));
  public final Counter estimatedUsage =
      add(new Counter("gateway_usage_estimated_total", "Responses whose usage was estimated because the provider reported none.",
          List.of("provider")));
  public final Counter upstreamResponses =
      add(new Counter("gateway_upstream_responses_total", "Upstream outcomes, by provider and status code (or timeout/connect_error/stream_cut).",
          List.of("provider", "status")));
  public final Counter fallbacks =
      add(new Counter("gateway_fallbacks_total", "Attempts abandoned for the next target, by route, provider left, and reason.",
          List.of("route", "from_provider", "reason")));
  public final Counter keyStateChanges =
      add(new Counter("gateway_key_state_changes_total", "Key pool transitions, by provider, key id and new state.",
          List.of("provider", "key_id", "state")));
  public final Counter quotaRejections =
      add(new Counter("gateway_quota_rejections_total", "Requests refused by a quota or rate limit.",
          List.of("consumer", "limit")));
  public final Counter clientDisconnects =
      add(new Counter("gateway_client_disconnects_total", "Streams the client left before the end, by the policy applied.",
          List.of("policy")));

  public final Counter configReloads =
      add(new Counter("gateway_config_reloads_total", "Config reloads, by result (applied, unchanged, refused).",
          List.of("result")));
  public final Counter tlsReloads =
      add(new Counter("gateway_tls_reloads_total", "Certificate reloads after the TLS files changed, by result (ok, refused).",
          List.of("result")));

  /** Registers a gauge; one registered again under the same name (after a reload) replaces it. */
  public Gauge gauge(String name, String help, List<String> labels, Gauge.Sampler sampler) {
    families.removeIf(f -> f.name.equals(name));
    return add(new Gauge(name, help, labels, sampler));
  }

  private <M extends MetricFamily<?>> M add(M family) {
    families.add(family);
    return family;
  }

  public String render() {
    StringBuilder out = new StringBuilder(8192);
    for (MetricFamily<?> f : families) {
      f.render(out);
    }
    return out.toString();
  }
}
