package dev.herald.channel;

import dev.herald.schema.Channel;
import dev.herald.schema.Fallback;
import dev.herald.schema.MessageTag;
import java.util.EnumSet;
import java.util.Set;

/**
 * Instagram: the Messenger Platform's Send API for an Instagram professional account. It speaks
 * Messenger's API and error codes, with fewer fallbacks: only the {@code HUMAN_AGENT} tag, no
 * one-time or recurring notifications, no longer ad window.
 */
public final class Instagram extends Messenger {

  static final Instagram INSTANCE = new Instagram();

  private Instagram() {}

  @Override
  public Channel channel() {
    return Channel.INSTAGRAM;
  }

  @Override
  public Set<Fallback> fallbacks() {
    return EnumSet.of(Fallback.SKIP, Fallback.MESSAGE_TAG);
  }

  @Override
  public boolean allowsTag(MessageTag tag) {
    return tag == MessageTag.HUMAN_AGENT;
  }

  @Override
  public boolean ctmAdOpensLongerWindow() {
    return false;
  }
}
