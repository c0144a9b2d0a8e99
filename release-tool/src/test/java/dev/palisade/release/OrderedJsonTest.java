package dev.palisade.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OrderedJsonTest {

  @Test
  void keepsInsertionOrder() {
    assertEquals("{\"z\":1,\"a\":[{\"y\":2,\"b\":3}]}",
        OrderedJson.compact(OrderedJson.map("z", 1, "a", List.of(OrderedJson.map("y", 2, "b", 3)))));
    assertEquals("{\"a\":1,\"b\":2}", OrderedJson.compact(new TreeMap<>(Map.of("b", 2, "a", 1))));
  }

  @Test
  void refusesMapsWhoseOrderDependsOnTheJvm() {
    // Map.of iterates in an order salted at JVM start: the base config's digest used to change with it.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OrderedJson.bytes(OrderedJson.map("rootfs", Map.of("type", "layers", "diff_ids", List.of()))));
    assertTrue(e.getMessage().contains("$.rootfs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OrderedJson.bytes(List.of(java.util.Set.of("a", "b"))));
    assertThrows(IllegalArgumentException.class, () -> OrderedJson.map("a", 1, "a", 2));
  }
}
