package dev.herald.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The demo's five sample campaign records, published through the campaign tool's client as a
 * marketer would with {@code bin/herald campaign publish}: each shows one way to reach users, and
 * together they give every skip reason the demo traffic can provoke.
 *
 * <ul>
 *   <li>{@code weekend-sale} (page-1): inside the 24-hour window only; users who last wrote longer
 *       ago are skipped ({@code OUTSIDE_WINDOW}).
 *   <li>{@code restock} (page-2): a back-in-stock broadcast with a variant for red-wine fans;
 *       outside the window it spends a one-time-notification token ({@code NO_TOKEN} without one).
 *   <li>{@code weekly-deals} (page-1): paced at 20 decisions a second; outside the window it uses
 *       the weekly-deals subscription ({@code NO_SUBSCRIPTION}, {@code SUBSCRIPTION_STOPPED}).
 *   <li>{@code order-update} (wa-1): a utility message; outside the window an approved template,
 *       for users who opted in to utility messages ({@code NOT_OPTED_IN}).
 *   <li>{@code finish-signup} (page-2): a reminder to users who started and did not finish, 30 s
 *       after they last wrote, resuming at their breadcrumb.
 * </ul>
 */
final class SampleCampaigns {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Decisions start this long after the records are published, so all of them are read first. */
  static final Duration LEAD = Duration.ofSeconds(2);

  private SampleCampaigns() {}

  /** The five records, published at {@code now}. */
  static List<String> at(Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    Instant start = at.plus(LEAD);
    Instant end = start.plus(Duration.ofHours(6));

    ObjectNode sale = campaign("weekend-sale", "messenger", "page-1", at, start, end);
    sale.put("rate", 100);
    sale.putObject("message").put("text", "Weekend sale: 20% off everything until Sunday");

    ObjectNode restock = campaign("restock", "messenger", "page-2", at, start, end);
    restock.put("outsideWindow", "OTN").put("topic", DemoTraffic.RESTOCK);
    ObjectNode restockMessage = restock.putObject("message").put("text", "Back in stock!");
    restockMessage
        .putArray("variants")
        .addObject()
        .put("name", "red")
        .put("text", "Your favourite red is back in stock")
        .putArray("whenTags")
        .add("red-wine");

    ObjectNode deals = campaign("weekly-deals", "messenger", "page-1", at, start, end);
    deals.put("outsideWindow", "RECURRING").put("topic", DemoTraffic.WEEKLY_DEALS).put("rate", 20);
    deals.putObject("message").put("text", "This week's deals are in");

    ObjectNode order = campaign("order-update", "whatsapp", "wa-1", at, start, end);
    order.put("promotional", false).put("outsideWindow", "TEMPLATE").put("rate", 40);
    order
        .putObject("template")
        .put("name", "order_update")
        .put("language", "en_US")
        .put("category", "UTILITY");
    order.putObject("message").put("text", "Your order has shipped");

    ObjectNode reminder = JSON.createObjectNode();
    reminder.put("type", "reminder");
    reminder.put("id", "finish-signup");
    reminder.put("at", at.toString());
    reminder.put("channel", "messenger");
    reminder.put("account", "page-2");
    reminder.put("afterInactivity", "PT30S");
    ObjectNode audience = reminder.putObject("audience");
    audience.putArray("allTags").add("started");
    audience.putArray("noneTags").add("finished");
    reminder
        .putObject("message")
        .put("text", "Shall we finish your sign-up?")
        .put("resumeAt", "BREADCRUMB");

    return List.of(
        sale.toString(),
        restock.toString(),
        deals.toString(),
        order.toString(),
        reminder.toString());
  }

  private static ObjectNode campaign(
      String id, String channel, String account, Instant at, Instant start, Instant end) {
    ObjectNode c = JSON.createObjectNode();
    c.put("type", "campaign");
    c.put("id", id);
    c.put("at", at.toString());
    c.put("channel", channel);
    c.put("account", account);
    c.put("startAt", start.toString());
    c.put("endAt", end.toString());
    return c;
  }
}
