package dev.herald.channel;

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

  @Override
  public byte[] requestBody(SendRequest request) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public ChannelAnswer readAnswer(int httpStatus, byte[] body) {
    throw new UnsupportedOperationException("not yet");
  }
}
