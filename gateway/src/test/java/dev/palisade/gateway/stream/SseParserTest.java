package dev.palisade.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  @Test
  void eventsSplitAnywhereAreReassembled() {
    String stream = "event: message_start\ndata: {\"a\":\"h\u00e9llo\"}\n\n: keep-alive\n\ndata: line1\r\ndata: line2\r\n\r\ndata: [DONE]\n\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int split = 1; split < bytes.length; split++) {
      List<String> events = new ArrayList<>();
      SseParser parser = new SseParser((e, d) -> events.add(e + "|" + d));
      parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, split)));
      parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, split, bytes.length)));
      assertEquals(List.of("message_start|{\"a\":\"h\u00e9llo\"}", "null|line1\nline2", "null|[DONE]"), events, "split at " + split);
      assertFalse(parser.midEvent());
    }
  }

  @Test
  void aCutInsideAnEventIsVisible() {
    SseParser parser = new SseParser((e, d) -> { });
    parser.feed(Buffer.buffer("data: {\"partial\""));
    assertTrue(parser.midEvent());
  }
}
