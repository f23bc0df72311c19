package dev.herald.bench.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.bench.Figure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Figure 9's rows from a JMH result file ({@code bin/bench jmh -rf json -rff FILE}): for each
 * benchmark and parameter, the median of its measurement iterations (all forks) with the min and
 * max, as a {@code FIGURE} line. JMH's own summary gives a mean and a confidence interval; the
 * other figures give medians, so this does too.
 */
public final class JmhSummary {

  private JmhSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || args[0].startsWith("-")) {
      System.out.println(
          "JmhSummary FILE: the FIGURE lines of a JMH JSON result (bin/bench jmh -rf json -rff FILE)");
      return;
    }
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    for (JsonNode r : results) {
      StringBuilder name = new StringBuilder("jmh ").append(shortName(r.get("benchmark").asText()));
      JsonNode params = r.get("params");
      if (params != null) {
        Iterator<Map.Entry<String, JsonNode>> it = params.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> p = it.next();
          name.append(' ').append(p.getKey()).append('=').append(p.getValue().asText());
        }
      }
      JsonNode metric = r.get("primaryMetric");
      Figure f = new Figure(name.toString(), metric.get("scoreUnit").asText());
      for (JsonNode fork : metric.get("rawData")) {
        for (JsonNode iteration : fork) {
          f.add(iteration.asDouble());
        }
      }
      f.print(System.out, null);
    }
  }

  /**
   * {@code dev.herald.bench.micro.CodecBench.parseUserEvent} → {@code CodecBench.parseUserEvent}.
   */
  private static String shortName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    int type = benchmark.lastIndexOf('.', method - 1);
    return benchmark.substring(type + 1);
  }
}
