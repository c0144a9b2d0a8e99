package dev.palisade.gateway.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * A request ready to send upstream. Its headers hold the provider key, so it has no
 * {@code toString} that could print them: never log one.
 */
public final class UpstreamRequest {
  private final HttpMethod method;
  private final String url;
  private final Map<String, String> headers;
  private final Buffer body;

  public UpstreamRequest(HttpMethod method, String url, Map<String, String> headers, Buffer body) {
    this.method = method;
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.body = body;
  }

  public HttpMethod method() {
    return method;
  }

  public String url() {
    return url;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Buffer body() {
    return body;
  }

  @Override
  public String toString() {
    return "UpstreamRequest[" + method + "]";
  }
}
