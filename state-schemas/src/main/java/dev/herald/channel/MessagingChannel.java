package dev.herald.channel;

import dev.herald.schema.Channel;
import dev.herald.schema.Fallback;
import dev.herald.schema.MessageTag;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import java.util.Set;

/**
 * Everything one messaging channel means, in one place: what a campaign may use on it (fallbacks,
 * tags, templates), how its window opens, its default delivery limits, what its error codes mean,
 * and the exact request its API takes and the answer it gives. A new channel is one new class
 * behind this interface, and the {@code switch} in {@link #of} makes the compiler point at it.
 */
public interface MessagingChannel {

  /**
   * The HTTP header that carries a send request's {@code requestId} on every call, so that a
   * receiver can recognise a call made twice (the hop to the channel is at-least-once).
   */
  String REQUEST_ID_HEADER = "X-Herald-Request-Id";

  /** The Graph API, where both Meta APIs live unless configured otherwise. */
  String GRAPH_API = "https://graph.facebook.com";

  /** The definition of {@code channel}. */
  static MessagingChannel of(Channel channel) {
    return switch (channel) {
      case MESSENGER -> Messenger.INSTANCE;
      case INSTAGRAM -> Instagram.INSTANCE;
      case WHATSAPP -> WhatsApp.INSTANCE;
    };
  }

  Channel channel();

  /** The fallbacks a campaign on this channel may name outside the window. */
  Set<Fallback> fallbacks();

  /** Whether {@code tag} is a tag of this channel (retired or not). */
  boolean allowsTag(MessageTag tag);

  /** Whether this channel sends approved templates. */
  boolean sendsTemplates();

  /** Whether a {@code ctm_ad} interaction opens this channel's longer ad window. */
  boolean ctmAdOpensLongerWindow();

  /** The limits an account on this channel gets unless configured otherwise. */
  DeliveryLimits defaultLimits();

  /** What {@code error}, answered by this channel, means for delivery. */
  ErrorEffect classify(PlatformError error);

  /**
   * The JSON body of the call that sends {@code request}, exactly as the platform defines it for
   * the request's basis, in UTF-8. The call is {@code POST {base}/{version}/{account}/messages}.
   *
   * @throws IllegalArgumentException if {@code request} cannot be sent on this channel (a basis or
   *     an opt-in request the channel does not have, a missing text, tag, token or template)
   */
  byte[] requestBody(SendRequest request);

  /**
   * What the platform's answer to a send call means. Never throws: a body that is not JSON, or
   * names neither a message nor an error, is {@link ChannelAnswer.Failed} with no error and the
   * start of the body.
   */
  ChannelAnswer readAnswer(int httpStatus, byte[] body);
}
