package dev.herald.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The demo's user events: what a bot's webhooks would write for a population of users on two
 * Messenger pages and one WhatsApp number. Plain Java and seeded, so the same seed gives the same
 * users and the same sequence of events; the caller supplies the instant and the pace.
 *
 * <p>First every user is introduced: an interaction (some with a breadcrumb), and by chance tags, a
 * one-time-notification token for the restock topic, a weekly-deals subscription, a marketing
 * opt-out, or (on WhatsApp) a utility opt-in. Half of them are introduced as they were when they
 * last wrote, between 1 and 70 hours ago, so that the window is closed for some and the campaigns
 * need a token, a subscription or a template to reach them. Then the traffic goes on with events
 * dated now: mostly interactions, some tags, new tokens and subscriptions, and opt-outs.
 *
 * <p>A subscription is stopped, and never replaced, only in a user's history. Live, a stop or a new
 * subscription token arriving between a decision and its delivery (seconds, while the dispatcher
 * holds a backlog) makes the platform refuse the message with the old token; Herald then records
 * the failure, but the demo's referee counts a rejection, and the demo is meant to show none.
 */
final class DemoTraffic {

  /** One user event as upstream writes it: key {@code channel/account/user}, JSON value. */
  record Line(String key, String json) {}

  /** One channel account of the demo and its share of the users. */
  record Account(String channel, String account, double share) {}

  static final List<Account> ACCOUNTS =
      List.of(
          new Account("messenger", "page-1", 0.45),
          new Account("messenger", "page-2", 0.35),
          new Account("whatsapp", "wa-1", 0.20));

  static final String RESTOCK = "restock";
  static final String WEEKLY_DEALS = "weekly-deals";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODES =
      List.of("/signup/ask-email", "/signup/ask-phone", "/shop/cart", "/shop/checkout");

  private final Random random;
  private final int users;
  private final List<Line> pending = new ArrayList<>();
  private final Set<Integer> subscribed = new HashSet<>();
  private int introduced;
  private long tokens;

  DemoTraffic(long seed, int users) {
    if (users <= 0) {
      throw new IllegalArgumentException("users must be positive, got " + users);
    }
    this.random = new Random(seed);
    this.users = users;
  }

  /** Whether every user has been introduced (all their first events returned). */
  boolean everyoneIntroduced() {
    return introduced == users && pending.isEmpty();
  }

  /** The next event, dated {@code now} or, while introducing a user, at their last visit. */
  Line next(Instant now) {
    if (pending.isEmpty()) {
      if (introduced < users) {
        introduce(introduced++, now.truncatedTo(ChronoUnit.MILLIS));
      } else {
        pending.add(ongoing(random.nextInt(users), now.truncatedTo(ChronoUnit.MILLIS)));
      }
    }
    return pending.remove(0);
  }

  /** The account of user {@code i}: fixed by the user's number, so it never changes. */
  static Account accountOf(int i, int users) {
    double position = (i + 0.5) / users;
    double sum = 0;
    for (Account a : ACCOUNTS) {
      sum += a.share();
      if (position < sum) {
        return a;
      }
    }
    return ACCOUNTS.get(ACCOUNTS.size() - 1);
  }

  static String userId(int i) {
    return String.format("u-%05d", i);
  }

  private void introduce(int i, Instant now) {
    Account a = accountOf(i, users);
    boolean whatsapp = a.channel().equals("whatsapp");
    Instant at = now;
    if (random.nextDouble() < 0.5) {
      at = now.minus(Duration.ofMinutes(60 + random.nextInt(69 * 60)));
    }
    ObjectNode first = event("interaction", a, i, at);
    if (random.nextDouble() < 0.4) {
      first.put("interaction", NODES.get(random.nextInt(NODES.size())));
      first.put("breadcrumb", true);
    }
    add(a, i, first);
    if (!whatsapp) {
      if (random.nextDouble() < 0.5) {
        ObjectNode tag = event("tag", a, i, at);
        var add = tag.putArray("add").add("started");
        if (random.nextDouble() < 0.3) {
          add.add("red-wine");
        }
        if (random.nextDouble() < 0.2) {
          add.add("finished");
        }
        add(a, i, tag);
      }
      if (random.nextDouble() < 0.4) {
        add(a, i, otnOptin(a, i, at));
      }
      if (random.nextDouble() < 0.35) {
        add(a, i, recurringOptin(a, i, at));
        if (at.isBefore(now) && random.nextDouble() < 0.3) {
          add(
              a,
              i,
              event("recurring_status", a, i, at.plusSeconds(60))
                  .put("topic", WEEKLY_DEALS)
                  .put("status", "STOP"));
        }
      }
    } else if (random.nextDouble() < 0.6) {
      add(a, i, event("optin", a, i, at).put("category", "UTILITY"));
    }
    if (random.nextDouble() < 0.05) {
      add(a, i, event("optout", a, i, at).put("category", "MARKETING"));
    }
  }

  private Line ongoing(int i, Instant now) {
    Account a = accountOf(i, users);
    boolean whatsapp = a.channel().equals("whatsapp");
    double p = random.nextDouble();
    if (p < 0.10 && !whatsapp) {
      ObjectNode tag = event("tag", a, i, now);
      switch (random.nextInt(3)) {
        case 0 -> tag.putArray("add").add("started");
        case 1 -> {
          tag.putArray("add").add("finished");
          tag.putArray("remove").add("started");
        }
        default -> tag.putArray("add").add("red-wine");
      }
      return line(a, i, tag);
    }
    if (p < 0.16 && !whatsapp) {
      return line(a, i, otnOptin(a, i, now));
    }
    if (p < 0.20 && !whatsapp && !subscribed.contains(i)) {
      return line(a, i, recurringOptin(a, i, now));
    }
    if (p < 0.25) {
      return line(a, i, event("optout", a, i, now).put("category", "MARKETING"));
    }
    if (p < 0.30 && whatsapp) {
      return line(a, i, event("optin", a, i, now).put("category", "UTILITY"));
    }
    ObjectNode interaction = event("interaction", a, i, now);
    if (random.nextDouble() < 0.3) {
      interaction.put("interaction", NODES.get(random.nextInt(NODES.size())));
      interaction.put("breadcrumb", true);
    }
    return line(a, i, interaction);
  }

  private ObjectNode otnOptin(Account a, int i, Instant at) {
    return event("otn_optin", a, i, at).put("topic", RESTOCK).put("token", "otn-" + (++tokens));
  }

  private ObjectNode recurringOptin(Account a, int i, Instant at) {
    subscribed.add(i);
    return event("recurring_optin", a, i, at)
        .put("topic", WEEKLY_DEALS)
        .put("token", "rn-" + (++tokens))
        .put("frequency", "WEEKLY");
  }

  private static ObjectNode event(String type, Account a, int i, Instant at) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    e.put("at", at.toString());
    e.put("channel", a.channel());
    e.put("account", a.account());
    e.put("user", userId(i));
    return e;
  }

  private void add(Account a, int i, ObjectNode event) {
    pending.add(line(a, i, event));
  }

  private static Line line(Account a, int i, ObjectNode event) {
    return new Line(a.channel() + "/" + a.account() + "/" + userId(i), event.toString());
  }
}
