package dev.palisade.gateway.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Latency in seconds, in fixed buckets suited to LLM calls (milliseconds to a minute). */
public final class Histogram extends MetricFamily<Histogram.Buckets> {

  static final double[] BOUNDS = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  static final class Buckets {
    final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    final DoubleAdder sum = new DoubleAdder();

    Buckets() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }
  }

  Histogram(String name, String help, List<String> labelNames) {
    super(name, help, labelNames, k -> new Buckets());
  }

  public void observe(double seconds, String... labels) {
    Buckets b = series(labels);
    int i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) {
      i++;
    }
    b.counts[i].increment();
    b.sum.add(seconds);
  }

  public long count(String... labels) {
    Buckets b = series.get(List.of(labels));
    if (b == null) {
      return 0;
    }
    long n = 0;
    for (LongAdder a : b.counts) {
      n += a.sum();
    }
    return n;
  }

  @Override
  void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    for (Map.Entry<List<String>, Buckets> e : series.entrySet()) {
      long cumulative = 0;
      for (int i = 0; i <= BOUNDS.length; i++) {
        cumulative += e.getValue().counts[i].sum();
        out.append(name).append("_bucket");
        labels(out, e.getKey(), "le", i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf");
        out.append(' ').append(cumulative).append('\n');
      }
      out.append(name).append("_sum");
      labels(out, e.getKey(), null, null);
      out.append(' ').append(e.getValue().sum.sum()).append('\n');
      out.append(name).append("_count");
      labels(out, e.getKey(), null, null);
      out.append(' ').append(cumulative).append('\n');
    }
  }
}
