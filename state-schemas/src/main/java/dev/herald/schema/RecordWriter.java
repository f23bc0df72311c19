package dev.herald.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the records of the wire contract as one line of JSON each, fields in the contract's order.
 * Writing never fails: every string taken from a value goes out {@link Text#wellFormed
 * well-formed}, so that a line always encodes as UTF-8, whatever value reached it (instants and
 * enum names, written by Herald itself, are ASCII).
 */
final class RecordWriter {

  private static final JsonFactory FACTORY = new JsonFactory();

  private RecordWriter() {}

  /** A decision as one line of JSON, fields in the order of the wire contract. */
  static String write(Decision d) {
    return json(
        g -> {
          string(g, "campaign", d.campaign());
          writeKey(g, d.user());
          g.writeStringField("at", Wire.format(d.at()));
          g.writeStringField("outcome", d.outcome().name());
          writeEnum(g, "basis", d.basis());
          string(g, "token", d.token());
          string(g, "variant", d.variant());
          string(g, "resumeAt", d.resumeAt());
          writeEnum(g, "reason", d.reason());
          if (d.dryRun()) {
            g.writeBooleanField("dryRun", true);
          }
        });
  }

  /** A send request as one line of JSON. */
  static String write(SendRequest r) {
    return json(
        g -> {
          string(g, "requestId", r.requestId());
          string(g, "campaign", r.campaign());
          writeKey(g, r.user());
          writeEnum(g, "basis", r.basis());
          writeEnum(g, "tag", r.tag());
          string(g, "token", r.token());
          if (r.template() == null) {
            g.writeNullField("template");
          } else {
            g.writeObjectFieldStart("template");
            string(g, "name", r.template().name());
            string(g, "language", r.template().language());
            g.writeStringField("category", r.template().category().name());
            g.writeEndObject();
          }
          string(g, "text", r.text());
          string(g, "resumeAt", r.resumeAt());
          writeEnum(g, "notificationType", r.notificationType());
          g.writeStringField("decidedAt", Wire.format(r.decidedAt()));
          g.writeStringField("notAfter", Wire.format(r.notAfter()));
          if (r.topic() != null) {
            string(g, "topic", r.topic());
          }
          if (r.frequency() != null) {
            g.writeStringField("frequency", r.frequency().name());
          }
        });
  }

  /** A dead letter as one line of JSON. */
  static String write(DeadLetter d) {
    return json(
        g -> {
          if (d.at() == null) {
            g.writeNullField("at");
          } else {
            g.writeStringField("at", Wire.format(d.at()));
          }
          string(g, "source", d.source());
          string(g, "reason", d.reason()); // already short: DeadLetter cuts it
          string(g, "input", d.input());
        });
  }

  /** A delivery outcome as one line of JSON in {@code user-events} form. */
  static String write(DeliveryOutcome o) {
    return json(
        g -> {
          g.writeStringField("type", "delivery");
          g.writeStringField("at", Wire.format(o.at()));
          writeKey(g, o.user());
          g.writeStringField("status", o.status().wire());
          if (o.requestId() != null) {
            string(g, "requestId", o.requestId());
          }
          if (o.campaign() != null) {
            string(g, "campaign", o.campaign());
          }
          if (o.messageId() != null) {
            string(g, "messageId", o.messageId());
          }
          if (o.error() != null) {
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", o.error().code());
            if (o.error().subcode() != null) {
              g.writeNumberField("subcode", o.error().subcode());
            }
            g.writeEndObject();
          }
          if (o.reason() != null) {
            string(g, "reason", o.reason());
          }
        });
  }

  /** An input record as one line of JSON, every default written out; the codec reads it back. */
  static String write(InputRecord record) {
    return json(
        g -> {
          g.writeStringField("type", record.type());
          g.writeStringField("at", Wire.format(record.at()));
          if (record instanceof UserEvent e) {
            writeUserEvent(g, e);
          } else if (record instanceof Campaign c) {
            writeCampaign(g, c);
          } else if (record instanceof Reminder r) {
            string(g, "id", r.id());
            g.writeStringField("channel", r.channel().wire());
            string(g, "account", r.account());
            g.writeStringField("afterInactivity", Wire.format(r.afterInactivity()));
            writeAudience(g, r.audience());
            writeMessage(g, r.message());
            g.writeBooleanField("promotional", r.promotional());
          } else if (record instanceof Cancel c) {
            string(g, "campaign", c.campaign());
          } else if (record instanceof AccountStatus a) {
            g.writeStringField("channel", a.channel().wire());
            string(g, "account", a.account());
            g.writeStringField("status", a.status().name());
          }
        });
  }

  private static void writeUserEvent(JsonGenerator g, UserEvent e) throws IOException {
    writeKey(g, e.key());
    if (e.id() != null) {
      string(g, "id", e.id());
    }
    if (e instanceof Interaction i) {
      g.writeStringField("kind", i.kind().wire());
      if (i.interaction() != null) {
        string(g, "interaction", i.interaction());
      }
      g.writeBooleanField("breadcrumb", i.breadcrumb());
    } else if (e instanceof Tag t) {
      writeStrings(g, "add", t.add());
      writeStrings(g, "remove", t.remove());
    } else if (e instanceof OtnOptin o) {
      string(g, "topic", o.topic());
      string(g, "token", o.token());
    } else if (e instanceof RecurringOptin o) {
      string(g, "topic", o.topic());
      string(g, "token", o.token());
      g.writeStringField("frequency", o.frequency().name());
      if (o.expiresAt() != null) {
        g.writeStringField("expiresAt", Wire.format(o.expiresAt()));
      }
    } else if (e instanceof RecurringStatus s) {
      string(g, "topic", s.topic());
      g.writeStringField("status", s.status().name());
    } else if (e instanceof OptinRequest r) {
      string(g, "topic", r.topic());
    } else if (e instanceof Consent c) {
      if (c.category() != null) {
        g.writeStringField("category", c.category().name());
      }
    } else if (e instanceof Delivery d) {
      g.writeStringField("status", d.status().wire());
      if (d.requestId() != null) {
        string(g, "requestId", d.requestId());
      }
      if (d.campaign() != null) {
        string(g, "campaign", d.campaign());
      }
      if (d.error() != null) {
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", d.error().code());
        if (d.error().subcode() != null) {
          g.writeNumberField("subcode", d.error().subcode());
        }
        g.writeEndObject();
      }
    }
  }

  private static void writeCampaign(JsonGenerator g, Campaign c) throws IOException {
    string(g, "id", c.id());
    g.writeStringField("channel", c.channel().wire());
    string(g, "account", c.account());
    g.writeStringField("kind", c.kind().wire());
    if (c.startAt() != null) {
      g.writeStringField("startAt", Wire.format(c.startAt()));
    }
    if (c.endAt() != null) {
      g.writeStringField("endAt", Wire.format(c.endAt()));
    }
    g.writeBooleanField("promotional", c.promotional());
    writeAudience(g, c.audience());
    g.writeStringField("outsideWindow", c.outsideWindow().name());
    if (c.tag() != null) {
      g.writeStringField("tag", c.tag().name());
    }
    if (c.topic() != null) {
      string(g, "topic", c.topic());
    }
    if (c.frequency() != null) {
      g.writeStringField("frequency", c.frequency().name());
    }
    if (c.template() != null) {
      g.writeObjectFieldStart("template");
      string(g, "name", c.template().name());
      string(g, "language", c.template().language());
      g.writeStringField("category", c.template().category().name());
      g.writeEndObject();
    }
    writeMessage(g, c.message());
    g.writeStringField("notificationType", c.notificationType().name());
    if (c.rate() != null) {
      g.writeNumberField("rate", c.rate());
    }
    g.writeBooleanField("dryRun", c.dryRun());
  }

  private static void writeAudience(JsonGenerator g, Audience a) throws IOException {
    g.writeObjectFieldStart("audience");
    writeStrings(g, "allTags", a.allTags());
    writeStrings(g, "anyTags", a.anyTags());
    writeStrings(g, "noneTags", a.noneTags());
    if (a.interactedWithin() != null) {
      g.writeStringField("interactedWithin", Wire.format(a.interactedWithin()));
    }
    if (a.inactiveFor() != null) {
      g.writeStringField("inactiveFor", Wire.format(a.inactiveFor()));
    }
    writeStrings(g, "users", a.users());
    g.writeEndObject();
  }

  private static void writeMessage(JsonGenerator g, Message m) throws IOException {
    g.writeObjectFieldStart("message");
    if (m.text() != null) {
      string(g, "text", m.text());
    }
    if (m.resumeAt() != null) {
      string(g, "resumeAt", m.resumeAt());
    }
    g.writeArrayFieldStart("variants");
    for (Message.Variant v : m.variants()) {
      g.writeStartObject();
      string(g, "name", v.name());
      writeStrings(g, "whenTags", v.whenTags());
      string(g, "text", v.text());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeStrings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(Text.wellFormed(v));
    }
    g.writeEndArray();
  }

  private static void writeKey(JsonGenerator g, UserKey key) throws IOException {
    g.writeStringField("channel", key.channel().wire());
    string(g, "account", key.account());
    string(g, "user", key.user());
  }

  private static void writeEnum(JsonGenerator g, String name, Enum<?> value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      string(g, name, value.name());
    }
  }

  /** A string field, well-formed whatever it holds; {@code null} is written as null. */
  private static void string(JsonGenerator g, String name, String value) throws IOException {
    g.writeStringField(name, Text.wellFormed(value));
  }

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String json(Body body) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }
}
