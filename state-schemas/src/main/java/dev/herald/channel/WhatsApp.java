package dev.herald.channel;

import dev.herald.schema.Basis;
import dev.herald.schema.Channel;
import dev.herald.schema.Fallback;
import dev.herald.schema.MessageTag;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** WhatsApp: the WhatsApp Business Cloud API, for a business phone number. */
public final class WhatsApp implements MessagingChannel {

  static final WhatsApp INSTANCE = new WhatsApp();

  /** The least time between two messages to one user. */
  public static final Duration PAIR_INTERVAL = Duration.ofSeconds(6);

  private WhatsApp() {}

  @Override
  public Channel channel() {
    return Channel.WHATSAPP;
  }

  @Override
  public Set<Fallback> fallbacks() {
    return EnumSet.of(Fallback.SKIP, Fallback.TEMPLATE);
  }

  @Override
  public boolean allowsTag(MessageTag tag) {
    return true; // WhatsApp has no MESSAGE_TAG fallback: a tag there is never used
  }

  @Override
  public boolean sendsTemplates() {
    return true;
  }

  @Override
  public boolean ctmAdOpensLongerWindow() {
    return false;
  }

  /** 80 messages/s per phone number, 1 per 6 s to one user, and no tier (unlimited) unless set. */
  @Override
  public DeliveryLimits defaultLimits() {
    return new DeliveryLimits(80, PAIR_INTERVAL, null);
  }

  @Override
  public ErrorEffect classify(PlatformError error) {
    long code = error.code();
    if (code == 190) {
      return ErrorEffect.TOKEN_INVALID;
    }
    if (code == 131056) {
      return ErrorEffect.RETRY_USER;
    }
    if (code == 130429 || code == 80007 || code == 131000) {
      return ErrorEffect.RETRY;
    }
    if (code == 131047) {
      return ErrorEffect.OUTSIDE_WINDOW;
    }
    if (code == 131026) {
      return ErrorEffect.UNREACHABLE;
    }
    if (code == 131050) {
      return ErrorEffect.MARKETING_STOPPED;
    }
    if (code == 131049) {
      return ErrorEffect.MARKETING_LIMIT;
    }
    if (code == 131048 || code == 368) {
      return ErrorEffect.ACCOUNT_RESTRICTED;
    }
    return ErrorEffect.OTHER;
  }

  /**
   * The Cloud API body for {@code request} ({@code POST /{version}/{phone-number-id}/messages}, the
   * {@code Message} schema of Meta's OpenAPI description): a text inside the customer-service
   * window, an approved template otherwise (or inside the window for a campaign with a template and
   * no text).
   *
   * <p>A template is sent by name and language only, with {@code language.policy} {@code
   * deterministic} (the schema requires it; it is the only value). {@code components} is left out:
   * the schema would take an empty array, but it says nothing an absent one does not, and the
   * campaign has no template parameters to fill. A campaign's {@code text} is not a parameter of
   * its template (the template's text was approved as it is; guessing which placeholder it fills
   * would send what was not approved), so with basis {@code TEMPLATE} the text is not sent.
   *
   * <p>The request id is not in the body: the schema's {@code Message} has no field for it ({@code
   * biz_opaque_callback_data} is defined there for calls only, and text messages take no field
   * beyond those listed), so only the header {@link #REQUEST_ID_HEADER} carries it. WhatsApp has no
   * notification types; {@code notificationType} is ignored.
   *
   * @throws IllegalArgumentException if the request cannot be sent on WhatsApp (a basis other than
   *     {@code STANDARD_WINDOW} or {@code TEMPLATE}, a window message without text, a template
   *     basis without a template, an opt-in request); the sink writes such a request {@code
   *     failed}, with the reason
   */
  @Override
  public byte[] requestBody(SendRequest request) {
    check(request);
    return GraphJson.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("messaging_product", "whatsapp");
          g.writeStringField("recipient_type", "individual");
          GraphJson.string(g, "to", request.user().user());
          if (request.basis() == Basis.TEMPLATE) {
            g.writeStringField("type", "template");
            g.writeObjectFieldStart("template");
            GraphJson.string(g, "name", request.template().name());
            g.writeObjectFieldStart("language");
            g.writeStringField("policy", "deterministic");
            GraphJson.string(g, "code", request.template().language());
            g.writeEndObject();
            g.writeEndObject();
          } else {
            g.writeStringField("type", "text");
            g.writeObjectFieldStart("text");
            GraphJson.string(g, "body", request.text());
            g.writeEndObject();
          }
          g.writeEndObject();
        });
  }

  /**
   * A success names the message in {@code messages[0].id} ({@code wamid...}); a failure is a Graph
   * error object. Never throws.
   */
  @Override
  public ChannelAnswer readAnswer(int httpStatus, byte[] body) {
    return GraphJson.read(
        httpStatus, body, root -> GraphJson.text(root.path("messages").path(0).get("id")));
  }

  private static void check(SendRequest r) {
    if (r.topic() != null || r.frequency() != null) {
      throw refused(r, "WhatsApp has no recurring-notification opt-in request");
    }
    if (r.basis() == Basis.STANDARD_WINDOW) {
      if (r.text() == null) {
        throw refused(r, "a message inside the window needs a text (or basis TEMPLATE)");
      }
    } else if (r.basis() == Basis.TEMPLATE) {
      if (r.template() == null) {
        throw refused(r, "basis TEMPLATE needs a template");
      }
    } else {
      throw refused(r, "basis " + r.basis() + " is not used on whatsapp");
    }
  }

  private static IllegalArgumentException refused(SendRequest r, String why) {
    return new IllegalArgumentException(
        "cannot send request " + r.requestId() + " on whatsapp: " + why);
  }
}
