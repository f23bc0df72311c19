package dev.herald.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.schema.Decision;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The order of a replay's output: by {@code at}, then campaign, then user (then the rest). */
public final class DecisionOrder {

  public static final Comparator<Decision> ORDER =
      Comparator.comparing(Decision::at)
          .thenComparing(Decision::campaign)
          .thenComparing(d -> d.user().user())
          .thenComparing(d -> d.user().channel().wire())
          .thenComparing(d -> d.user().account());

  private static final ObjectMapper JSON = new ObjectMapper();

  private DecisionOrder() {}

  /** Decisions written as JSON lines, in {@link #ORDER}; ties keep their text order. */
  public static List<String> sortLines(List<String> lines) {
    record Keyed(
        Instant at, String campaign, String user, String channel, String account, String line) {}
    List<Keyed> keyed = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode d = JSON.readTree(line);
        keyed.add(
            new Keyed(
                Wire.parseInstant(d.path("at").asText()), // null (last) if it cannot be read
                d.path("campaign").asText(),
                d.path("user").asText(),
                d.path("channel").asText(),
                d.path("account").asText(),
                line));
      } catch (IOException e) {
        throw new UncheckedIOException("not a decision: " + line, e);
      }
    }
    keyed.sort(
        Comparator.comparing(Keyed::at, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Keyed::campaign)
            .thenComparing(Keyed::user)
            .thenComparing(Keyed::channel)
            .thenComparing(Keyed::account)
            .thenComparing(Keyed::line));
    return keyed.stream().map(Keyed::line).toList();
  }
}
