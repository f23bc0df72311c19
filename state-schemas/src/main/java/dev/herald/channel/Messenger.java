package dev.herald.channel;

import dev.herald.schema.Channel;
import dev.herald.schema.Fallback;
import dev.herald.schema.MessageTag;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import java.util.EnumSet;
import java.util.Set;

/** Messenger: the Messenger Platform's Send API, for a Facebook page. */
public class Messenger implements MessagingChannel {

  static final Messenger INSTANCE = new Messenger();

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

  @Override
  public byte[] requestBody(SendRequest request) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public ChannelAnswer readAnswer(int httpStatus, byte[] body) {
    throw new UnsupportedOperationException("not yet");
  }

  private static boolean is(Long subcode, long expected) {
    return subcode != null && subcode == expected;
  }
}
