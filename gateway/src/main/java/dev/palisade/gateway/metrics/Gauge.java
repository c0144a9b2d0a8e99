package dev.palisade.gateway.metrics;

import java.util.List;
import java.util.function.Consumer;

/** A value read at scrape time from the live state (e.g. key pool status). */
public final class Gauge extends MetricFamily<Object> {

  /** Writes the current samples: label values plus a value. */
  public interface Sampler {
    void sample(Consumer<Sample> out);
  }

  public record Sample(List<String> labels, double value) {}

  private final Sampler sampler;

  Gauge(String name, String help, List<String> labelNames, Sampler sampler) {
    super(name, help, labelNames, k -> new Object());
    this.sampler = sampler;
  }

  @Override
  void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    sampler.sample(
        s -> {
          out.append(name);
          labels(out, s.labels(), null, null);
          out.append(' ').append(s.value()).append('\n');
        });
  }
}
