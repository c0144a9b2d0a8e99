package dev.palisade.gateway.stream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Incremental Server-Sent Events parser: feed it bytes as they arrive, it calls back once per
 * complete event. Bytes are kept until a line is complete, so a UTF-8 character or an event
 * split across network reads is reassembled first.
 */
public final class SseParser {

  /** Receives complete events. */
  @FunctionalInterface
  public interface Listener {
    void onEvent(String event, String data);
  }

  private final Listener listener;
  private byte[] pending = new byte[0];
  private String event;
  private StringBuilder data;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  public void feed(Buffer buffer) {
    byte[] bytes = buffer.getBytes();
    byte[] all;
    if (pending.length == 0) {
      all = bytes;
    } else {
      all = new byte[pending.length + bytes.length];
      System.arraycopy(pending, 0, all, 0, pending.length);
      System.arraycopy(bytes, 0, all, pending.length, bytes.length);
    }
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
        line(new String(all, start, end - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    pending = start == all.length ? new byte[0] : java.util.Arrays.copyOfRange(all, start, all.length);
  }

  /** True when bytes of an unfinished event are buffered (the stream was cut inside one). */
  public boolean midEvent() {
    return pending.length > 0 || data != null;
  }

  private void line(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        listener.onEvent(event, data.toString());
      }
      event = null;
      data = null;
      return;
    }
    if (line.startsWith(":")) {
      return; // comment / keep-alive
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if ("data".equals(field)) {
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    } else if ("event".equals(field)) {
      event = value;
    }
  }
}
