package dev.herald.connectors.channel;

import dev.herald.schema.Basis;
import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import dev.herald.schema.SendRequest;
import dev.herald.schema.Template;
import dev.herald.schema.UserKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Typed send requests for the sink's tests: one factory per basis, a fresh request id each. */
final class Requests {

  private static final AtomicInteger IDS = new AtomicInteger();

  private Requests() {}

  /** Inside the standard window, allowed for the next hour. */
  static SendRequest inWindow(Channel channel, String account, String user, Instant now) {
    return request(
            channel, account, user, Basis.STANDARD_WINDOW, now, now.plus(Duration.ofHours(1)))
        .build();
  }

  static Builder request(
      Channel channel,
      String account,
      String user,
      Basis basis,
      Instant decidedAt,
      Instant notAfter) {
    return new Builder(channel, account, user, basis, decidedAt, notAfter);
  }

  /** A send request with everything but the basis's own fields left empty. */
  static final class Builder {
    private final UserKey user;
    private final Basis basis;
    private final Instant decidedAt;
    private final Instant notAfter;
    private MessageTag tag;
    private String token;
    private Template template;
    private String text = "Back in stock!";

    Builder(
        Channel channel,
        String account,
        String user,
        Basis basis,
        Instant decidedAt,
        Instant notAfter) {
      this.user = new UserKey(channel, account, user);
      this.basis = basis;
      this.decidedAt = decidedAt;
      this.notAfter = notAfter;
    }

    Builder tag(MessageTag tag) {
      this.tag = tag;
      return this;
    }

    Builder token(String token) {
      this.token = token;
      return this;
    }

    Builder template(String name, String language, Category category) {
      this.template = new Template(name, language, category);
      this.text = null;
      return this;
    }

    SendRequest build() {
      String campaign = "restock-" + IDS.incrementAndGet();
      return new SendRequest(
          SendRequest.idOf(campaign, user),
          campaign,
          user,
          basis,
          tag,
          token,
          template,
          text,
          null,
          NotificationType.REGULAR,
          decidedAt,
          notAfter,
          null,
          (Frequency) null);
    }
  }
}
