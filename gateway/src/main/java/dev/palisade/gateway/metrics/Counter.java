package dev.palisade.gateway.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count per label set. */
public final class Counter extends MetricFamily<LongAdder> {

  Counter(String name, String help, List<String> labelNames) {
    super(name, help, labelNames, k -> new LongAdder());
  }

  public void inc(String... labels) {
    series(labels).increment();
  }

  public void add(long amount, String... labels) {
    series(labels).add(amount);
  }

  public long value(String... labels) {
    LongAdder a = series.get(List.of(labels));
    return a == null ? 0 : a.sum();
  }

  @Override
  void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    for (Map.Entry<List<String>, LongAdder> e : series.entrySet()) {
      out.append(name);
      labels(out, e.getKey(), null, null);
      out.append(' ').append(e.getValue().sum()).append('\n');
    }
  }
}
