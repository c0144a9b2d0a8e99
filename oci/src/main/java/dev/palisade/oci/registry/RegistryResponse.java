package dev.palisade.oci.registry;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/** A registry's answer. The body streams from the connection: close the response when done. */
final class RegistryResponse implements Closeable {

  private final ClassicHttpResponse response;
  private final URI uri;

  RegistryResponse(ClassicHttpResponse response, URI uri) {
    this.response = response;
    this.uri = uri;
  }

  int status() {
    return response.getCode();
  }

  /** The URI that answered (after redirects). */
  URI uri() {
    return uri;
  }

  String header(String name) {
    Header header = response.getFirstHeader(name);
    return header == null ? null : header.getValue();
  }

  /** All values of a header, joined with commas as RFC 9110 allows. */
  String headers(String name) {
    Header[] headers = response.getHeaders(name);
    if (headers.length == 0) {
      return null;
    }
    StringBuilder joined = new StringBuilder();
    for (Header header : headers) {
      if (joined.length() > 0) {
        joined.append(", ");
      }
      joined.append(header.getValue());
    }
    return joined.toString();
  }

  InputStream body() throws IOException {
    HttpEntity entity = response.getEntity();
    return entity == null ? InputStream.nullInputStream() : entity.getContent();
  }

  /** Reads the whole body, failing once it exceeds {@code limit} bytes. */
  byte[] bodyBytes(int limit) throws IOException {
    try (InputStream in = body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + n > limit) {
          throw new IOException("response body exceeds the limit of " + limit + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  @Override
  public void close() throws IOException {
    response.close();
  }
}
