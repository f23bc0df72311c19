package dev.herald.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a replay scenario for a quick end-to-end measurement: {@code users} users with an
 * interaction (a breadcrumb) and a tag each, then one campaign to all who have the tag.
 *
 * <p>Run: {@code mvn -q -pl jobs test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.herald.bench.BroadcastInput -Dexec.args="200000 /tmp/bench/e2e"}, then
 * {@code time bin/replay --out /tmp/bench/out /tmp/bench/e2e}.
 */
public final class BroadcastInput {

  public static void main(String[] args) throws IOException {
    int users = Integer.parseInt(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    Instant t0 = Instant.parse("2021-06-01T10:00:00Z");
    try (BufferedWriter out =
        Files.newBufferedWriter(dir.resolve("input.jsonl"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < users; i++) {
        String key = "\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-" + i + "\"";
        String at = t0.plusMillis(i % 3_600_000L).toString();
        out.write(
            "{\"type\":\"interaction\",\"at\":\""
                + at
                + "\","
                + key
                + ",\"interaction\":\"/shop/red-wine\",\"breadcrumb\":true}\n");
        out.write("{\"type\":\"tag\",\"at\":\"" + at + "\"," + key + ",\"add\":[\"started\"]}\n");
      }
      out.write(
          "{\"type\":\"campaign\",\"id\":\"c1\",\"at\":\"2021-06-01T14:00:00Z\","
              + "\"channel\":\"messenger\",\"account\":\"page-1\","
              + "\"audience\":{\"allTags\":[\"started\"]},"
              + "\"message\":{\"text\":\"Hi\",\"resumeAt\":\"BREADCRUMB\"}}\n");
    }
  }
}
