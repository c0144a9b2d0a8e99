package dev.palisade.gateway.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A named metric with fixed label names. Label values come from the config (route patterns,
 * provider, model, consumer and key ids) or from small closed sets (status codes, reasons), never
 * from request content, which keeps cardinality bounded.
 */
abstract class MetricFamily<S> {

  final String name;
  final String help;
  final List<String> labelNames;
  final Map<List<String>, S> series = new ConcurrentHashMap<>();
  private final Function<List<String>, S> factory;

  MetricFamily(String name, String help, List<String> labelNames, Function<List<String>, S> factory) {
    this.name = name;
    this.help = help;
    this.labelNames = List.copyOf(labelNames);
    this.factory = factory;
  }

  S series(String... labelValues) {
    if (labelValues.length != labelNames.size()) {
      throw new IllegalArgumentException(name + " takes labels " + labelNames);
    }
    List<String> key = List.of(labelValues);
    S s = series.get(key);
    return s != null ? s : series.computeIfAbsent(key, factory);
  }

  abstract void render(StringBuilder out);

  void labels(StringBuilder out, List<String> values, String extraName, String extraValue) {
    if (values.isEmpty() && extraName == null) {
      return;
    }
    out.append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(labelNames.get(i)).append("=\"").append(escape(values.get(i))).append('"');
    }
    if (extraName != null) {
      if (!values.isEmpty()) {
        out.append(',');
      }
      out.append(extraName).append("=\"").append(extraValue).append('"');
    }
    out.append('}');
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
