package dev.herald.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.channel.DeliveryLimits;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Per-account delivery limits from a JSON file ({@code --account-limits}): an object keyed by
 * {@code channel/account}, each value with {@code perSecond}, {@code tier} (a number, or {@code
 * null} for unlimited) and {@code pairInterval} (an ISO-8601 duration, or {@code null} for none),
 * each optional; what is left out keeps the channel's default. For example {@code
 * {"whatsapp/1234":{"perSecond":1000,"tier":10000},"messenger/page-1":{"perSecond":100}}}.
 */
public final class AccountLimits {

  private static final Set<String> FIELDS = Set.of("perSecond", "tier", "pairInterval");

  private AccountLimits() {}

  /**
   * The limits in {@code file}; an empty map for an empty path.
   *
   * @throws IllegalArgumentException naming the file, the account and the field that is wrong
   */
  public static Map<String, DeliveryLimits> read(String file) {
    if (file.isEmpty()) {
      return Map.of();
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    return parse(root, file);
  }

  /** The limits in {@code root}, the content of {@code source}. */
  static Map<String, DeliveryLimits> parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          source + ": expected a JSON object keyed by channel/account");
    }
    Map<String, DeliveryLimits> limits = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = source + ": " + e.getKey();
      limits.put(e.getKey(), limits(channelOf(e.getKey(), where), e.getValue(), where));
    }
    return Map.copyOf(limits);
  }

  private static Channel channelOf(String key, String where) {
    int slash = key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1) {
      throw new IllegalArgumentException(where + ": the key must be channel/account");
    }
    String channel = key.substring(0, slash);
    for (Channel c : Channel.values()) {
      if (c.wire().equals(channel)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        where + ": unknown channel '" + channel + "' (messenger, instagram or whatsapp)");
  }

  private static DeliveryLimits limits(Channel channel, JsonNode v, String where) {
    if (!v.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object of limits");
    }
    for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            where + ": unknown field '" + name + "' (perSecond, tier, pairInterval)");
      }
    }
    DeliveryLimits d = MessagingChannel.of(channel).defaultLimits();
    int perSecond = d.perSecond();
    Duration pair = d.pairInterval();
    Integer tier = d.tier();
    if (v.has("perSecond")) {
      perSecond = positive(v.get("perSecond"), where + ".perSecond");
    }
    if (v.has("tier")) {
      tier = v.get("tier").isNull() ? null : positive(v.get("tier"), where + ".tier");
    }
    if (v.has("pairInterval")) {
      JsonNode p = v.get("pairInterval");
      if (p.isNull()) {
        pair = null;
      } else {
        pair = p.isTextual() ? Wire.parseDuration(p.asText()) : null;
        if (pair == null || pair.isZero() || pair.isNegative()) {
          throw new IllegalArgumentException(
              where + ".pairInterval: expected a positive duration such as PT6S");
        }
      }
    }
    return new DeliveryLimits(perSecond, pair, tier);
  }

  private static int positive(JsonNode n, String where) {
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
      throw new IllegalArgumentException(where + ": expected a whole number of at least 1");
    }
    return n.intValue();
  }

  /** How the Web UI shows them. */
  static String describe(Map<String, DeliveryLimits> limits) {
    if (limits.isEmpty()) {
      return "channel defaults";
    }
    StringBuilder b = new StringBuilder();
    limits.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              if (b.length() > 0) {
                b.append("; ");
              }
              DeliveryLimits l = e.getValue();
              b.append(e.getKey()).append(' ').append(l.perSecond()).append("/s");
              if (l.tier() != null) {
                b.append(" tier ").append(l.tier());
              }
              if (l.pairInterval() != null) {
                b.append(" pair ").append(Wire.format(l.pairInterval()));
              }
            });
    return b.toString();
  }
}
