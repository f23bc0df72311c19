package dev.herald.channel;

import dev.herald.schema.Basis;
import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import dev.herald.schema.SendRequest;
import dev.herald.schema.Template;
import dev.herald.schema.UserKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Send requests for the payload tests, named by what they are ({@code window("Back in stock!")},
 * {@code otn("tok-1")}) so that each test shows only what it is about. Every request goes to user
 * {@code u-1} of account {@code acct-1} with request id {@code restock-42:<channel>/acct-1/<user>}.
 */
final class Requests {

  static final Instant DECIDED = Instant.parse("2021-05-03T10:00:00Z");

  private final Channel channel;
  private String user = "u-1";
  private String requestId;
  private Basis basis = Basis.STANDARD_WINDOW;
  private MessageTag tag;
  private String token;
  private Template template;
  private String text = "Back in stock!";
  private NotificationType notificationType;
  private String topic;
  private Frequency frequency;

  private Requests(Channel channel) {
    this.channel = channel;
  }

  static Requests on(Channel channel) {
    return new Requests(channel);
  }

  Requests user(String user) {
    this.user = user;
    return this;
  }

  Requests requestId(String requestId) {
    this.requestId = requestId;
    return this;
  }

  Requests text(String text) {
    this.text = text;
    return this;
  }

  Requests notificationType(NotificationType notificationType) {
    this.notificationType = notificationType;
    return this;
  }

  Requests tag(MessageTag tag) {
    this.basis = Basis.MESSAGE_TAG;
    this.tag = tag;
    return this;
  }

  Requests otn(String token) {
    this.basis = Basis.OTN;
    this.token = token;
    return this;
  }

  Requests recurring(String token) {
    this.basis = Basis.RECURRING;
    this.token = token;
    return this;
  }

  Requests template(String name, String language) {
    this.basis = Basis.TEMPLATE;
    this.template = new Template(name, language, Category.MARKETING);
    return this;
  }

  Requests basis(Basis basis) {
    this.basis = basis;
    return this;
  }

  /** An opt-in request for recurring notifications on {@code topic}, inside the window. */
  Requests optinRequest(String topic, Frequency frequency) {
    this.basis = Basis.STANDARD_WINDOW;
    this.topic = topic;
    this.frequency = frequency;
    return this;
  }

  SendRequest build() {
    UserKey key = new UserKey(channel, "acct-1", user);
    return new SendRequest(
        requestId != null ? requestId : SendRequest.idOf("restock-42", key),
        "restock-42",
        key,
        basis,
        tag,
        token,
        template,
        text,
        null,
        notificationType,
        DECIDED,
        DECIDED.plusSeconds(3600),
        topic,
        frequency);
  }

  /** The body {@code channel} writes for this request, as text. */
  String body() {
    return new String(MessagingChannel.of(channel).requestBody(build()), StandardCharsets.UTF_8);
  }
}
