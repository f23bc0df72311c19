package dev.herald.schema;

import java.util.EnumSet;
import java.util.Set;

/**
 * What each channel allows in a campaign record (spec/DOMAIN.md, "Outside the window" and "Message
 * tags"): its fallbacks, its message tags, whether it sends templates. Knowledge of a channel lives
 * here, so adding one means this class and the switches the compiler points at.
 */
public final class ChannelRules {

  private ChannelRules() {}

  /** The fallbacks valid on {@code channel}. */
  public static Set<Fallback> fallbacksOn(Channel channel) {
    return switch (channel) {
      case MESSENGER ->
          EnumSet.of(Fallback.SKIP, Fallback.MESSAGE_TAG, Fallback.OTN, Fallback.RECURRING);
      case INSTAGRAM -> EnumSet.of(Fallback.SKIP, Fallback.MESSAGE_TAG);
      case WHATSAPP -> EnumSet.of(Fallback.SKIP, Fallback.TEMPLATE);
    };
  }

  /** Whether {@code tag} is a valid tag on {@code channel} (retired or not). */
  public static boolean allowsTag(Channel channel, MessageTag tag) {
    return switch (channel) {
      case MESSENGER -> true;
      case INSTAGRAM -> tag == MessageTag.HUMAN_AGENT;
      case WHATSAPP -> true; // WhatsApp has no MESSAGE_TAG fallback: a tag there is never used
    };
  }

  /** Whether {@code channel} sends approved templates. */
  public static boolean sendsTemplates(Channel channel) {
    return channel == Channel.WHATSAPP;
  }
}
