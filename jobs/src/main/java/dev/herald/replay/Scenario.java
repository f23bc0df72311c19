package dev.herald.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.policy.FrequencyCap;
import dev.herald.policy.PolicyConfig;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A replay scenario: a folder with {@code input.jsonl}, an optional {@code config.json} and, for
 * checking, {@code expected.jsonl}.
 */
public record Scenario(Path dir, PolicyConfig config) {

  public static final String INPUT = "input.jsonl";
  public static final String CONFIG = "config.json";
  public static final String EXPECTED = "expected.jsonl";

  private static final Set<String> CONFIG_KEYS = Set.of("frequencyCap");

  /** The scenario in {@code dir}; fails with a message naming the file if its config is bad. */
  public static Scenario load(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(INPUT))) {
      throw new IOException("no " + INPUT + " in " + dir);
    }
    Path config = dir.resolve(CONFIG);
    PolicyConfig policy = PolicyConfig.DEFAULT;
    if (Files.isRegularFile(config)) {
      policy = parseConfig(Files.readString(config, StandardCharsets.UTF_8), config.toString());
    }
    return new Scenario(dir, policy);
  }

  /** The deployment settings of a {@code config.json}. */
  public static PolicyConfig parseConfig(String json, String where) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    if (root == null || !root.isObject()) {
      throw new IOException(where + ": must be a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!CONFIG_KEYS.contains(name)) {
        // Like unknown fields of records: ignored, for settings added later.
        System.err.println(where + ": ignoring unknown setting '" + name + "'");
      }
    }
    JsonNode cap = root.get("frequencyCap");
    if (cap == null || cap.isNull()) {
      return PolicyConfig.DEFAULT;
    }
    JsonNode max = cap.get("max");
    JsonNode per = cap.get("per");
    if (max == null || !max.canConvertToInt() || per == null || !per.isTextual()) {
      throw new IOException(
          where + ": frequencyCap needs an integer 'max' and a duration 'per' (e.g. PT24H)");
    }
    Duration period = Wire.parseDuration(per.asText());
    if (period == null) {
      throw new IOException(where + ": frequencyCap.per is not a duration: " + per.asText());
    }
    try {
      return new PolicyConfig(new FrequencyCap(max.asInt(), period));
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }

  /** The scenario's name: its folder's name. */
  public String name() {
    return dir.getFileName().toString();
  }

  public Path input() {
    return dir.resolve(INPUT);
  }

  /** The lines of {@code input.jsonl}, in order, as raw bytes (see {@link ScenarioInput#lines}). */
  public List<byte[]> inputLines() throws IOException {
    try (java.io.InputStream in = Files.newInputStream(input())) {
      return ScenarioInput.lines(in);
    }
  }
}
