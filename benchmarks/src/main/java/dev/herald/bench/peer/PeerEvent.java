package dev.herald.bench.peer;

import dev.herald.channel.ErrorEffect;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Category;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.SubscriptionChange;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Erase;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import java.time.Instant;
import java.util.List;

/**
 * One user event as the peer writes it: a row of the staging table, and the values its upserts
 * bind. What the channel decides (does a {@code ctm_ad} open the longer window, what a failed
 * delivery means) is settled here in Java, from the same channel classes Herald uses, so that the
 * SQL only compares instants.
 *
 * @param seq the event's place in the input: orders one-time tokens granted at one instant
 * @param type what the event does to the stored user (see {@link #of})
 */
public record PeerEvent(
    long seq,
    String type,
    String channel,
    String account,
    String user,
    Instant at,
    Instant ctmAt,
    String crumb,
    Instant crumbAt,
    List<String> tagsAdd,
    List<String> tagsRemove,
    String topic,
    String token,
    String frequency,
    Instant expiresAt,
    Boolean stopped,
    Boolean marketingOptIn,
    Instant marketingAt,
    Boolean utilityOptIn,
    Instant utilityAt) {

  public static final String INTERACTION = "interaction";
  public static final String TAG = "tag";
  public static final String OTN_OPTIN = "otn_optin";
  public static final String RECURRING_OPTIN = "recurring_optin";
  public static final String RECURRING_STATUS = "recurring_status";
  public static final String OPTIN_REQUEST = "optin_request";
  public static final String CONSENT = "consent";
  public static final String UNREACHABLE = "unreachable";

  /** An event that changes nothing but makes the user known (a delivery report, mostly). */
  public static final String KNOWN = "known";

  public static final String ERASE = "erase";

  /** The row of {@code e}, the {@code seq}-th event of the input. */
  public static PeerEvent of(UserEvent e, long seq) {
    Builder b = new Builder(seq, e);
    if (e instanceof Interaction i) {
      boolean ctm =
          i.kind() == InteractionKind.CTM_AD
              && MessagingChannel.of(i.key().channel()).ctmAdOpensLongerWindow();
      boolean crumb = i.breadcrumb() && i.interaction() != null;
      b.type = INTERACTION;
      b.ctmAt = ctm ? i.at() : null;
      b.crumb = crumb ? i.interaction() : null;
      b.crumbAt = crumb ? i.at() : null;
    } else if (e instanceof Tag t) {
      b.type = TAG;
      b.tagsAdd = t.add();
      b.tagsRemove = t.remove();
    } else if (e instanceof OtnOptin o) {
      b.type = OTN_OPTIN;
      b.topic = o.topic();
      b.token = o.token();
    } else if (e instanceof RecurringOptin o) {
      b.type = RECURRING_OPTIN;
      b.topic = o.topic();
      b.token = o.token();
      b.frequency = o.frequency().wire();
      b.expiresAt = o.expiresAt();
    } else if (e instanceof RecurringStatus r) {
      b.type = RECURRING_STATUS;
      b.topic = r.topic();
      b.stopped = r.status() == SubscriptionChange.STOP;
    } else if (e instanceof OptinRequest r) {
      b.type = OPTIN_REQUEST;
      b.topic = r.topic();
    } else if (e instanceof Consent c) {
      b.consent(c.category(), c.optIn());
    } else if (e instanceof Delivery d) {
      ErrorEffect effect =
          d.status() == DeliveryStatus.FAILED && d.error() != null
              ? MessagingChannel.of(d.key().channel()).classify(d.error())
              : null;
      if (effect == ErrorEffect.UNREACHABLE) {
        b.type = UNREACHABLE;
      } else if (effect == ErrorEffect.MARKETING_STOPPED) {
        b.consent(Category.MARKETING, false);
      } else {
        b.type = KNOWN;
      }
    } else if (e instanceof Erase) {
      b.type = ERASE;
    } else {
      throw new IllegalArgumentException("unknown user event " + e.type());
    }
    return b.build();
  }

  /** The value of a staging-table column, by its name. */
  Object column(String name) {
    return switch (name) {
      case "seq" -> seq;
      case "type" -> type;
      case "channel" -> channel;
      case "account" -> account;
      case "user_id" -> user;
      case "at" -> at;
      case "ctm_at" -> ctmAt;
      case "crumb" -> crumb;
      case "crumb_at" -> crumbAt;
      case "tags_add" -> tagsAdd;
      case "tags_remove" -> tagsRemove;
      case "topic" -> topic;
      case "token" -> token;
      case "frequency" -> frequency;
      case "expires_at" -> expiresAt;
      case "stopped" -> stopped;
      case "marketing_opt_in" -> marketingOptIn;
      case "marketing_at" -> marketingAt;
      case "utility_opt_in" -> utilityOptIn;
      case "utility_at" -> utilityAt;
      default -> throw new IllegalArgumentException("no staging column " + name);
    };
  }

  /** The user's key as one string, for grouping. */
  String userKey() {
    return channel + '\u0000' + account + '\u0000' + user;
  }

  @Override
  public String toString() {
    return "PeerEvent[" + seq + " " + type + " " + channel + "/" + account + "/" + user + "]";
  }

  private static final class Builder {
    private final long seq;
    private final UserEvent e;
    private String type;
    private Instant ctmAt;
    private String crumb;
    private Instant crumbAt;
    private List<String> tagsAdd = List.of();
    private List<String> tagsRemove = List.of();
    private String topic;
    private String token;
    private String frequency;
    private Instant expiresAt;
    private Boolean stopped;
    private Boolean marketingOptIn;
    private Instant marketingAt;
    private Boolean utilityOptIn;
    private Instant utilityAt;

    Builder(long seq, UserEvent e) {
      this.seq = seq;
      this.e = e;
    }

    /** A consent mark; without a category it is for both. */
    void consent(Category category, boolean optIn) {
      type = CONSENT;
      if (category != Category.UTILITY) {
        marketingOptIn = optIn;
        marketingAt = e.at();
      }
      if (category != Category.MARKETING) {
        utilityOptIn = optIn;
        utilityAt = e.at();
      }
    }

    PeerEvent build() {
      return new PeerEvent(
          seq,
          type,
          e.key().channel().wire(),
          e.key().account(),
          e.key().user(),
          e.at(),
          ctmAt,
          crumb,
          crumbAt,
          tagsAdd,
          tagsRemove,
          topic,
          token,
          frequency,
          expiresAt,
          stopped,
          marketingOptIn,
          marketingAt,
          utilityOptIn,
          utilityAt);
    }
  }
}
