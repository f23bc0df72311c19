package dev.herald.channel;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.schema.Basis;
import dev.herald.schema.Channel;
import dev.herald.schema.Fallback;
import dev.herald.schema.MessageTag;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/** Messenger: the Messenger Platform's Send API, for a Facebook page. */
public class Messenger implements MessagingChannel {

  static final Messenger INSTANCE = new Messenger();

  /** The longest {@code message.metadata} the Send API takes, in characters. */
  public static final int MAX_METADATA = 1000;

  Messenger() {}

  @Override
  public Channel channel() {
    return Channel.MESSENGER;
  }

  @Override
  public Set<Fallback> fallbacks() {
    return EnumSet.of(Fallback.SKIP, Fallback.MESSAGE_TAG, Fallback.OTN, Fallback.RECURRING);
  }

  @Override
  public boolean allowsTag(MessageTag tag) {
    return true;
  }

  @Override
  public boolean sendsTemplates() {
    return false;
  }

  @Override
  public boolean ctmAdOpensLongerWindow() {
    return true;
  }

  @Override
  public DeliveryLimits defaultLimits() {
    return new DeliveryLimits(300, null, null);
  }

  /** Messenger's codes (Instagram uses them too); a code without a subcode matches any. */
  @Override
  public ErrorEffect classify(PlatformError error) {
    long code = error.code();
    Long sub = error.subcode();
    if (code == 190) {
      return ErrorEffect.TOKEN_INVALID;
    }
    if (code == 613 || code == 4 || code == 2 || code == 1200) {
      return ErrorEffect.RETRY;
    }
    if (code == 10 && is(sub, 2018278)) {
      return ErrorEffect.OUTSIDE_WINDOW;
    }
    if (code == 551 || (code == 10 && is(sub, 2018108)) || (code == 200 && is(sub, 1545041))) {
      return ErrorEffect.UNREACHABLE;
    }
    if (code == 368 || (code == 10 && is(sub, 1893063))) {
      return ErrorEffect.ACCOUNT_RESTRICTED;
    }
    return ErrorEffect.OTHER;
  }

  /**
   * The Send API body for {@code request}: the recipient (the user's id inside the window or with a
   * tag; the token for a one-time or recurring notification, which stands for the user), the
   * messaging type, the message with the request id as its {@code metadata} (echoed back by the
   * platform; cut to {@value #MAX_METADATA} characters, the header {@link #REQUEST_ID_HEADER}
   * carries the whole id), and the notification type when set. An opt-in request ({@code topic} and
   * {@code frequency} set) is the {@code notification_messages} template instead of a text.
   *
   * @throws IllegalArgumentException if the request cannot be sent on this channel (a basis its
   *     campaigns may not use, a missing text, tag or token); the sink writes such a request {@code
   *     failed}, with the reason
   */
  @Override
  public byte[] requestBody(SendRequest request) {
    check(request);
    return GraphJson.write(
        g -> {
          g.writeStartObject();
          if (isOptinRequest(request)) {
            optinRequest(g, request);
          } else {
            recipientAndType(g, request);
            g.writeObjectFieldStart("message");
            GraphJson.string(g, "text", request.text());
            metadata(g, request);
            g.writeEndObject();
          }
          if (request.notificationType() != null) {
            g.writeStringField("notification_type", request.notificationType().wire());
          }
          g.writeEndObject();
        });
  }

  /**
   * A success names the message ({@code {"recipient_id":..,"message_id":"m_.."}}); a failure is a
   * Graph error object. Never throws.
   */
  @Override
  public ChannelAnswer readAnswer(int httpStatus, byte[] body) {
    return GraphJson.read(httpStatus, body, root -> GraphJson.text(root.get("message_id")));
  }

  private static boolean isOptinRequest(SendRequest r) {
    return r.topic() != null || r.frequency() != null;
  }

  private void check(SendRequest r) {
    Basis basis = r.basis();
    if (basis == null) {
      throw refused(r, "it has no basis");
    }
    Fallback fallback = fallbackOf(basis);
    if (fallback != null && !fallbacks().contains(fallback)) {
      throw refused(r, "basis " + basis + " is not used on " + channel());
    }
    if (isOptinRequest(r)) {
      if (r.topic() == null || r.frequency() == null) {
        throw refused(r, "an opt-in request needs both a topic and a frequency");
      }
      if (basis != Basis.STANDARD_WINDOW) {
        throw refused(r, "an opt-in request is sent inside the window, not with basis " + basis);
      }
    }
    if (r.text() == null) {
      throw refused(r, "it has no text");
    }
    if (basis == Basis.MESSAGE_TAG && r.tag() == null) {
      throw refused(r, "basis MESSAGE_TAG needs a tag");
    }
    if ((basis == Basis.OTN || basis == Basis.RECURRING) && r.token() == null) {
      throw refused(r, "basis " + basis + " needs a token");
    }
  }

  /** The fallback a basis outside the window stands for; {@code null} for the window itself. */
  private static Fallback fallbackOf(Basis basis) {
    return switch (basis) {
      case STANDARD_WINDOW -> null;
      case MESSAGE_TAG -> Fallback.MESSAGE_TAG;
      case OTN -> Fallback.OTN;
      case RECURRING -> Fallback.RECURRING;
      case TEMPLATE -> Fallback.TEMPLATE;
    };
  }

  private IllegalArgumentException refused(SendRequest r, String why) {
    // The request id and the basis only: a token never goes into an exception.
    return new IllegalArgumentException(
        "cannot send request " + r.requestId() + " on " + channel() + ": " + why);
  }

  private static void recipientAndType(JsonGenerator g, SendRequest r) throws IOException {
    switch (r.basis()) {
      case STANDARD_WINDOW -> {
        recipientId(g, r);
        // Meta "Send API reference": UPDATE is a proactive message inside the standard window.
        g.writeStringField("messaging_type", "UPDATE");
      }
      case MESSAGE_TAG -> {
        recipientId(g, r);
        // Meta "Message Tags": messaging_type MESSAGE_TAG with the tag's name.
        g.writeStringField("messaging_type", "MESSAGE_TAG");
        g.writeStringField("tag", r.tag().wire());
      }
      case OTN -> {
        // Meta "One-time Notification": the token is the recipient; no id, no messaging_type.
        g.writeObjectFieldStart("recipient");
        GraphJson.string(g, "one_time_notif_token", r.token());
        g.writeEndObject();
      }
      case RECURRING -> {
        // Meta "Recurring Notifications": the notification_messages_token is the recipient.
        g.writeObjectFieldStart("recipient");
        GraphJson.string(g, "notification_messages_token", r.token());
        g.writeEndObject();
      }
      case TEMPLATE -> throw new IllegalStateException("checked before: no TEMPLATE here");
    }
  }

  /**
   * The {@code notification_messages} template that asks the user to subscribe to the topic (Meta
   * "Recurring Notifications", opt-in request): the campaign's text is the title, the topic the
   * payload the platform hands back with the user's opt-in, and the frequency the one asked for.
   */
  private static void optinRequest(JsonGenerator g, SendRequest r) throws IOException {
    recipientId(g, r);
    // Meta "Send API reference": RESPONSE, the request is part of the conversation in the window.
    g.writeStringField("messaging_type", "RESPONSE");
    g.writeObjectFieldStart("message");
    g.writeObjectFieldStart("attachment");
    g.writeStringField("type", "template");
    g.writeObjectFieldStart("payload");
    g.writeStringField("template_type", "notification_messages");
    GraphJson.string(g, "title", r.text());
    GraphJson.string(g, "payload", r.topic());
    g.writeStringField("notification_messages_frequency", r.frequency().wire());
    g.writeEndObject();
    g.writeEndObject();
    metadata(g, r);
    g.writeEndObject();
  }

  private static void recipientId(JsonGenerator g, SendRequest r) throws IOException {
    g.writeObjectFieldStart("recipient");
    GraphJson.string(g, "id", r.user().user());
    g.writeEndObject();
  }

  private static void metadata(JsonGenerator g, SendRequest r) throws IOException {
    if (r.requestId() != null) {
      GraphJson.string(g, "metadata", GraphJson.cut(r.requestId(), MAX_METADATA));
    }
  }

  private static boolean is(Long subcode, long expected) {
    return subcode != null && subcode == expected;
  }
}
