package dev.herald.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Builds test inputs from short JSON (single quotes allowed), with the defaults of one user:
 * channel {@code messenger}, account {@code page-1}, user {@code u-1}.
 */
final class Fixtures {

  static final String ACCOUNT = "page-1";
  static final String USER = "u-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static UserKey key(Channel channel) {
    return new UserKey(channel, ACCOUNT, USER);
  }

  static Instant at(String instant) {
    return Instant.parse(instant);
  }

  /** A user event on {@code channel}, from JSON without the key fields. */
  static UserEvent event(Channel channel, String json) {
    ObjectNode n = object(json);
    n.put("channel", channel.wire());
    n.putIfAbsent("account", JSON.getNodeFactory().textNode(ACCOUNT));
    n.putIfAbsent("user", JSON.getNodeFactory().textNode(USER));
    return (UserEvent) parse(n.toString());
  }

  /** The state after {@code events} (JSON, on {@code channel}), applied in order. */
  static UserState state(Channel channel, List<String> events) {
    UserState s = null;
    for (String e : events) {
      s = UserStates.apply(s, event(channel, e));
    }
    return s;
  }

  /** A campaign with defaults: id {@code c-1}, messenger/page-1, text {@code Hi}. */
  static Campaign campaign(String json) {
    ObjectNode n = object(json);
    n.put("type", "campaign");
    n.putIfAbsent("id", JSON.getNodeFactory().textNode("c-1"));
    n.putIfAbsent("at", JSON.getNodeFactory().textNode("2020-01-01T00:00:00Z"));
    n.putIfAbsent("channel", JSON.getNodeFactory().textNode("messenger"));
    n.putIfAbsent("account", JSON.getNodeFactory().textNode(ACCOUNT));
    if (!n.has("message") && !n.has("template")) {
      n.set("message", object("{'text':'Hi'}"));
    }
    return (Campaign) parse(n.toString());
  }

  /** A reminder with defaults: id {@code r-1}, messenger/page-1, text {@code Still there?}. */
  static Reminder reminder(String json) {
    ObjectNode n = object(json);
    n.put("type", "reminder");
    n.putIfAbsent("id", JSON.getNodeFactory().textNode("r-1"));
    n.putIfAbsent("at", JSON.getNodeFactory().textNode("2020-01-01T00:00:00Z"));
    n.putIfAbsent("channel", JSON.getNodeFactory().textNode("messenger"));
    n.putIfAbsent("account", JSON.getNodeFactory().textNode(ACCOUNT));
    if (!n.has("message")) {
      n.set("message", object("{'text':'Still there?'}"));
    }
    return (Reminder) parse(n.toString());
  }

  static InputRecord parse(String json) {
    Parsed<InputRecord> p = RecordCodec.parse(json);
    if (!p.isOk()) {
      throw new IllegalArgumentException("bad fixture " + json + ": " + p.reason());
    }
    return p.value();
  }

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A decision in one short line: {@code SEND OTN token=tok-1 variant=red resumeAt=/x} or {@code
   * SKIP NO_TOKEN}; {@code dry} is appended for dry runs.
   */
  static String describe(Decision d) {
    StringBuilder b = new StringBuilder(d.outcome().name());
    b.append(' ').append(d.basis() != null ? d.basis().name() : d.reason().name());
    if (d.token() != null) {
      b.append(" token=").append(d.token());
    }
    if (d.variant() != null) {
      b.append(" variant=").append(d.variant());
    }
    if (d.resumeAt() != null) {
      b.append(" resumeAt=").append(d.resumeAt());
    }
    if (d.dryRun()) {
      b.append(" dry");
    }
    return b.toString();
  }
}
