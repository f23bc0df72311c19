package dev.herald.channel;

import dev.herald.schema.PlatformError;

/** What a platform answered to one send call. */
public sealed interface ChannelAnswer {

  /** The platform took the message. */
  record Sent(String messageId) implements ChannelAnswer {}

  /**
   * The platform refused the message.
   *
   * @param httpStatus the HTTP status of the answer
   * @param error the platform's error code and subcode; {@code null} when the body had none
   * @param message the platform's error message, for logs (never holds a token)
   */
  record Failed(int httpStatus, PlatformError error, String message) implements ChannelAnswer {}
}
