package dev.herald.policy;

import static dev.herald.policy.Fixtures.at;
import static dev.herald.policy.Fixtures.campaign;
import static dev.herald.policy.Fixtures.describe;
import static dev.herald.policy.Fixtures.key;
import static dev.herald.policy.Fixtures.reminder;
import static dev.herald.policy.Fixtures.state;
import static dev.herald.policy.PolicyTest.breadcrumb;
import static dev.herald.policy.PolicyTest.failed;
import static dev.herald.policy.PolicyTest.interaction;
import static dev.herald.policy.PolicyTest.optout;
import static dev.herald.policy.PolicyTest.otn;
import static dev.herald.policy.PolicyTest.recurring;
import static dev.herald.policy.PolicyTest.recurringUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.MessageTag;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserKey;
import dev.herald.state.UserState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a send spends, and the rules that look at earlier sends. */
class PolicySpendTest {

  private static final UserKey U = key(Channel.MESSENGER);
  private final Policy policy = new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT);

  /** Decides campaign {@code c} at each instant in turn, carrying the state along. */
  private List<String> run(Policy p, Campaign c, UserState s, String... instants) {
    List<String> out = new java.util.ArrayList<>();
    for (String t : instants) {
      Verdict v = p.decide(c, key(c.channel()), s, at(t), null);
      out.add(describe(v.decision()));
      s = v.after();
    }
    return out;
  }

  @Nested
  class OneTimeNotifications {
    @Test
    void eachSendSpendsTheOldestTokenUntilNoneIsLeft() {
      Campaign c = campaign(PolicyTest.OTN_RESTOCK);
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  otn("2021-06-01T10:01:00Z", "restock", "a"),
                  otn("2021-06-01T10:02:00Z", "restock", "b")));
      assertThat(
              run(
                  policy,
                  c,
                  s,
                  "2021-06-10T11:00:00Z",
                  "2021-06-20T11:00:00Z",
                  "2021-06-30T11:00:00Z"))
          .containsExactly("SEND OTN token=a", "SEND OTN token=b", "SKIP NO_TOKEN");
    }

    @Test
    void aSpentTokenIsGoneButItsTopicIsRemembered() {
      Campaign c = campaign(PolicyTest.OTN_RESTOCK);
      UserState s = state(Channel.MESSENGER, List.of(otn("2021-06-01T10:01:00Z", "restock", "a")));
      Verdict v = policy.decide(c, U, s, at("2021-06-10T11:00:00Z"), null);
      assertThat(v.after().otnTokens()).isEmpty();
      assertThat(v.after().otnTopics()).containsExactly("restock");
      assertThat(Audiences.matches(c, U, v.after(), at("2021-06-11T11:00:00Z"))).isTrue();
    }

    @Test
    void aTokenHeldUnspentIsNotGrantedTwice() {
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  otn("2021-06-01T10:01:00Z", "restock", "a"),
                  otn("2021-06-02T10:01:00Z", "restock", "a")));
      assertThat(s.otnTokens()).hasSize(1);
      assertThat(s.otnTokens().get(0).createdAt()).isEqualTo(at("2021-06-01T10:01:00Z"));
    }

    @Test
    void aSpentTokenValueGrantedAgainIsANewToken() {
      Campaign c = campaign(PolicyTest.OTN_RESTOCK);
      UserState s = state(Channel.MESSENGER, List.of(otn("2021-06-01T10:01:00Z", "restock", "a")));
      s = policy.decide(c, U, s, at("2021-06-10T11:00:00Z"), null).after();
      s =
          UserStates.apply(
              s, Fixtures.event(Channel.MESSENGER, otn("2021-06-11T10:00:00Z", "restock", "a")));
      assertThat(describe(policy.decide(c, U, s, at("2021-06-12T11:00:00Z"), null).decision()))
          .isEqualTo("SEND OTN token=a");
    }

    @Test
    void insideTheWindowTheTokenIsKeptForLater() {
      Campaign c = campaign(PolicyTest.OTN_RESTOCK);
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  otn("2021-06-01T09:01:00Z", "restock", "a"),
                  interaction("2021-06-10T08:00:00Z")));
      assertThat(run(policy, c, s, "2021-06-10T11:00:00Z", "2021-06-20T11:00:00Z"))
          .containsExactly("SEND STANDARD_WINDOW", "SEND OTN token=a");
    }

    @Test
    void aDryRunSpendsNothing() {
      Campaign dry = campaign("{'outsideWindow':'OTN','topic':'restock','dryRun':true}");
      Campaign real = campaign(PolicyTest.OTN_RESTOCK);
      UserState s = state(Channel.MESSENGER, List.of(otn("2021-06-01T10:01:00Z", "restock", "a")));
      Verdict v = policy.decide(dry, U, s, at("2021-06-10T11:00:00Z"), null);
      assertThat(v.after()).isEqualTo(s);
      assertThat(v.request()).isNull();
      assertThat(
              describe(
                  policy.decide(real, U, v.after(), at("2021-06-10T11:00:01Z"), null).decision()))
          .isEqualTo("SEND OTN token=a");
    }
  }

  @Nested
  class RecurringFrequency {
    @ParameterizedTest(name = "{0}: sent {1}, next at {2}")
    @CsvSource({
      "DAILY, 2021-03-01T12:00:00Z, 2021-03-02T12:00:00Z",
      "WEEKLY, 2021-03-01T12:00:00Z, 2021-03-08T12:00:00Z",
      "MONTHLY, 2021-03-15T12:00:00Z, 2021-04-15T12:00:00Z",
      "MONTHLY, 2021-01-31T12:00:00Z, 2021-02-28T12:00:00Z",
      "MONTHLY, 2024-01-31T12:00:00Z, 2024-02-29T12:00:00Z",
      "MONTHLY, 2021-03-31T12:00:00Z, 2021-04-30T12:00:00Z",
    })
    void tooSoonUntilAFullPeriodHasPassed(String frequency, String sent, String next) {
      Campaign c = campaign(PolicyTest.RECURRING_DEALS);
      Instant first = at(sent);
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  recurringUntil(
                      first.minus(Duration.ofDays(1)).toString(),
                      "deals",
                      "rn",
                      frequency,
                      "2030-01-01T00:00:00Z")));
      String justBefore = at(next).minusMillis(1).toString();
      assertThat(run(policy, c, s, sent, justBefore, next))
          .containsExactly("SEND RECURRING token=rn", "SKIP TOO_SOON", "SEND RECURRING token=rn");
    }

    @Test
    void aReOptInKeepsTheLastSendAndTakesTheNewFrequency() {
      Campaign c = campaign(PolicyTest.RECURRING_DEALS);
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(recurring("2021-03-01T12:00:00Z", "deals", "rn-1", "WEEKLY")));
      s = policy.decide(c, U, s, at("2021-03-02T12:00:00Z"), null).after();
      s =
          UserStates.apply(
              s,
              Fixtures.event(
                  Channel.MESSENGER, recurring("2021-03-03T12:00:00Z", "deals", "rn-2", "DAILY")));
      assertThat(s.subscription("deals").lastSentAt()).isEqualTo(at("2021-03-02T12:00:00Z"));
      assertThat(run(policy, c, s, "2021-03-03T11:59:59.999Z", "2021-03-03T12:00:00Z"))
          .containsExactly("SKIP TOO_SOON", "SEND RECURRING token=rn-2");
    }

    @Test
    void aStandardMessageInsideTheWindowUsesNoSlot() {
      Campaign c = campaign(PolicyTest.RECURRING_DEALS);
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  recurring("2021-03-01T12:00:00Z", "deals", "rn", "WEEKLY"),
                  interaction("2021-03-05T11:00:00Z")));
      assertThat(run(policy, c, s, "2021-03-05T12:00:00Z", "2021-03-07T12:00:00Z"))
          .containsExactly("SEND STANDARD_WINDOW", "SEND RECURRING token=rn");
    }

    @Test
    void from20250901OneRecurringMessagePerUserPer48HoursAcrossTopics() {
      Campaign deals = campaign(PolicyTest.RECURRING_DEALS);
      Campaign news = campaign("{'id':'c-2','outsideWindow':'RECURRING','topic':'news'}");
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  recurring("2025-09-01T00:00:00Z", "deals", "rn-d", "DAILY"),
                  recurring("2025-09-01T00:00:00Z", "news", "rn-n", "DAILY")));
      s = policy.decide(deals, U, s, at("2025-09-02T12:00:00Z"), null).after();
      assertThat(run(policy, news, s, "2025-09-04T11:59:59.999Z", "2025-09-04T12:00:00Z"))
          .containsExactly("SKIP TOO_SOON", "SEND RECURRING token=rn-n");
    }

    @Test
    void before20250901DailyTopicsAreIndependent() {
      Campaign deals = campaign(PolicyTest.RECURRING_DEALS);
      Campaign news = campaign("{'id':'c-2','outsideWindow':'RECURRING','topic':'news'}");
      UserState s =
          state(
              Channel.MESSENGER,
              List.of(
                  recurring("2025-08-01T00:00:00Z", "deals", "rn-d", "DAILY"),
                  recurring("2025-08-01T00:00:00Z", "news", "rn-n", "DAILY")));
      s = policy.decide(deals, U, s, at("2025-08-30T12:00:00Z"), null).after();
      // The news send is before the rule; the deals send after it sees the news send.
      assertThat(run(policy, news, s, "2025-08-31T12:00:00Z"))
          .containsExactly("SEND RECURRING token=rn-n");
      s = policy.decide(news, U, s, at("2025-08-31T12:00:00Z"), null).after();
      assertThat(run(policy, deals, s, "2025-09-01T12:00:00Z", "2025-09-02T12:00:00Z"))
          .containsExactly("SKIP TOO_SOON", "SEND RECURRING token=rn-d");
    }

    @Test
    void noSubscriptionIsReachableThroughTheFallbackAlone() {
      Campaign c = campaign(PolicyTest.RECURRING_DEALS);
      UserState s = state(Channel.MESSENGER, List.of(interaction("2021-03-01T12:00:00Z")));
      Verdict v = policy.fallback(c, U, s, at("2021-03-05T12:00:00Z"));
      assertThat(describe(v.decision())).isEqualTo("SKIP NO_SUBSCRIPTION");
    }
  }

  @Nested
  class FrequencyCapCounting {
    private final Policy capped =
        new Policy(
            PolicyTimeline.standard(), new PolicyConfig(new FrequencyCap(1, Duration.ofHours(24))));
    private final UserState inWindow =
        state(Channel.MESSENGER, List.of(interaction("2021-06-01T10:00:00Z")));

    @Test
    void aPromotionalSendCountsForTheRollingPeriod() {
      Campaign a = campaign("{'id':'a'}");
      Campaign b = campaign("{'id':'b'}");
      UserState s = capped.decide(a, U, inWindow, at("2021-06-01T10:00:00Z"), null).after();
      assertThat(run(capped, b, s, "2021-06-01T10:00:00Z", "2021-06-02T09:59:59.999Z"))
          .containsExactly("SKIP FREQUENCY_CAPPED", "SKIP FREQUENCY_CAPPED");
      assertThat(run(capped, b, s, "2021-06-02T10:00:00Z")).containsExactly("SKIP OUTSIDE_WINDOW");
    }

    @Test
    void nonPromotionalSendsAndDryRunsAreNotCounted() {
      Campaign utility = campaign("{'id':'u','promotional':false}");
      Campaign dry = campaign("{'id':'d','dryRun':true}");
      Campaign promo = campaign("{'id':'p'}");
      UserState s = capped.decide(utility, U, inWindow, at("2021-06-01T10:00:00Z"), null).after();
      Verdict dryRun = capped.decide(dry, U, s, at("2021-06-01T10:00:00Z"), null);
      assertThat(describe(dryRun.decision())).isEqualTo("SEND STANDARD_WINDOW dry");
      assertThat(run(capped, promo, dryRun.after(), "2021-06-01T10:00:00Z"))
          .containsExactly("SEND STANDARD_WINDOW");
    }

    @Test
    void aDryRunIsCappedLikeARealRun() {
      Campaign promo = campaign("{'id':'p'}");
      Campaign dry = campaign("{'id':'q','dryRun':true}");
      UserState s = capped.decide(promo, U, inWindow, at("2021-06-01T10:00:00Z"), null).after();
      assertThat(run(capped, dry, s, "2021-06-01T10:30:00Z"))
          .containsExactly("SKIP FREQUENCY_CAPPED dry");
    }

    @Test
    void historyOlderThanThePeriodIsDropped() {
      Campaign promo = campaign("{'id':'p'}");
      UserState s = capped.decide(promo, U, inWindow, at("2021-06-01T10:00:00Z"), null).after();
      assertThat(s.capSends()).hasSize(1);
      PolicyRules rules = PolicyTimeline.standard().rulesAt(at("2021-06-02T10:00:00Z"));
      assertThat(
              UserStates.prune(
                      s, at("2021-06-02T09:59:59.999Z"), rules, capped.config().frequencyCap())
                  .capSends())
          .hasSize(1);
      assertThat(
              UserStates.prune(s, at("2021-06-02T10:00:00Z"), rules, capped.config().frequencyCap())
                  .capSends())
          .isEmpty();
    }
  }

  @Nested
  class OptinRequests {
    @Test
    void aSentRequestCountsAndADryRunDoesNot() {
      Campaign dry =
          campaign(
              "{'id':'d','kind':'optin_request','topic':'deals','frequency':'WEEKLY','dryRun':true}");
      Campaign real = campaign(PolicyTest.OPTIN_REQUEST);
      UserState s = state(Channel.MESSENGER, List.of(interaction("2021-06-01T10:00:00Z")));
      UserState afterDry = policy.decide(dry, U, s, at("2021-06-01T11:00:00Z"), null).after();
      assertThat(afterDry.optinRequests()).isEmpty();
      Verdict sent = policy.decide(real, U, afterDry, at("2021-06-01T11:00:00Z"), null);
      assertThat(sent.request().topic()).isEqualTo("deals");
      assertThat(sent.request().frequency()).isNotNull();
      assertThat(run(policy, real, sent.after(), "2021-06-01T11:00:00Z"))
          .containsExactly("SKIP REQUEST_LIMIT_TOPIC");
    }
  }

  @Nested
  class NotAfter {
    private SendRequest request(Campaign c, List<String> events, String t) {
      UserState s = state(c.channel(), events);
      Verdict v = policy.decide(c, key(c.channel()), s, at(t), null);
      assertThat(v.request()).as(describe(v.decision())).isNotNull();
      return v.request();
    }

    @Test
    void standardWindowUntilTheWindowCloses() {
      SendRequest r =
          request(
              campaign("{}"), List.of(interaction("2021-06-01T10:00:00Z")), "2021-06-01T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-02T10:00:00Z"));
      assertThat(r.decidedAt()).isEqualTo(at("2021-06-01T12:00:00Z"));
      assertThat(r.requestId()).isEqualTo("c-1:messenger/page-1/u-1");
    }

    @Test
    void neverMoreThanADayLate() {
      SendRequest r =
          request(
              campaign("{}"),
              List.of(PolicyTest.ctmAd("2021-06-01T10:00:00Z")),
              "2021-06-01T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-02T12:00:00Z"));
    }

    @Test
    void theCampaignsEnd() {
      SendRequest r =
          request(
              campaign("{'endAt':'2021-06-01T13:00:00Z'}"),
              List.of(interaction("2021-06-01T10:00:00Z")),
              "2021-06-01T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-01T13:00:00Z"));
    }

    @Test
    void oneTimeTokenUntilItExpires() {
      SendRequest r =
          request(
              campaign(PolicyTest.OTN_RESTOCK),
              List.of(otn("2020-06-01T12:30:00Z", "restock", "a")),
              "2021-06-01T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-01T12:30:00Z"));
      assertThat(r.token()).isEqualTo("a");
    }

    @Test
    void humanAgentSevenDaysAfterTheLastInteraction() {
      SendRequest r =
          request(
              campaign("{'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'HUMAN_AGENT'}"),
              List.of(interaction("2021-06-01T10:00:00Z")),
              "2021-06-07T20:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-08T10:00:00Z"));
      assertThat(r.tag()).isEqualTo(MessageTag.HUMAN_AGENT);
    }

    @Test
    void aTagUntilItsRetirement() {
      SendRequest r =
          request(
              campaign(
                  "{'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'ACCOUNT_UPDATE'}"),
              List.of(interaction("2026-04-20T10:00:00Z")),
              "2026-04-26T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2026-04-27T00:00:00Z"));
    }

    @Test
    void recurringUntilTheSubscriptionExpires() {
      SendRequest r =
          request(
              campaign(PolicyTest.RECURRING_DEALS),
              List.of(recurring("2020-12-31T12:30:00Z", "deals", "rn", "DAILY")),
              "2021-06-30T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-30T12:30:00Z"));
    }

    @Test
    void recurringDerivedExpiryDoesNotBindPast20230810() {
      SendRequest r =
          request(
              campaign(PolicyTest.RECURRING_DEALS),
              List.of(recurring("2023-02-15T12:30:00Z", "deals", "rn", "DAILY")),
              "2023-08-09T12:00:00Z");
      assertThat(r.notAfter()).isEqualTo(at("2023-08-10T12:00:00Z"));
    }

    @Test
    void templateTextAndTemplateGoTogether() {
      SendRequest r =
          request(
              campaign(PolicyTest.WA_TEMPLATE),
              List.of(PolicyTest.optin("2021-06-01T10:00:00Z", null)),
              "2021-06-05T12:00:00Z");
      assertThat(r.template().name()).isEqualTo("deals");
      assertThat(r.text()).isEqualTo("Hi");
      assertThat(r.notAfter()).isEqualTo(at("2021-06-06T12:00:00Z"));
    }
  }

  @Nested
  class Reminders {
    private final Reminder reminder =
        reminder("{'afterInactivity':'PT30M','message':{'text':'Back?','resumeAt':'BREADCRUMB'}}");

    @Test
    void sendsOnTheStandardBasisResumingAtTheBreadcrumb() {
      UserState s =
          state(Channel.MESSENGER, List.of(breadcrumb("2021-05-03T10:00:00Z", "/lead/ask-name")));
      Verdict v = policy.decide(reminder, U, s, at("2021-05-03T10:30:00Z"));
      assertThat(describe(v.decision())).isEqualTo("SEND STANDARD_WINDOW resumeAt=/lead/ask-name");
      assertThat(v.request().requestId())
          .isEqualTo("r-1:messenger/page-1/u-1:2021-05-03T10:30:00Z");
      assertThat(v.request().text()).isEqualTo("Back?");
      assertThat(v.after()).isEqualTo(s);
    }

    @Test
    void skipsUnreachableAndOptedOutUsers() {
      UserState unreachable =
          state(
              Channel.MESSENGER,
              List.of(
                  interaction("2021-05-03T10:00:00Z"), failed("2021-05-03T10:01:00Z", 551, null)));
      UserState optedOut =
          state(
              Channel.MESSENGER,
              List.of(
                  interaction("2021-05-03T10:00:00Z"),
                  optout("2021-05-03T10:01:00Z", "MARKETING")));
      assertThat(
              describe(
                  policy.decide(reminder, U, unreachable, at("2021-05-03T10:30:00Z")).decision()))
          .isEqualTo("SKIP UNREACHABLE");
      assertThat(
              describe(policy.decide(reminder, U, optedOut, at("2021-05-03T10:30:00Z")).decision()))
          .isEqualTo("SKIP OPTED_OUT");
    }

    @Test
    void matchesItsAudienceOnItsOwnAccount() {
      Reminder r = reminder("{'afterInactivity':'PT30M','audience':{'allTags':['started']}}");
      UserState started =
          state(
              Channel.MESSENGER,
              List.of(
                  interaction("2021-05-03T10:00:00Z"),
                  PolicyTest.tags("2021-05-03T10:00:00Z", "started")));
      assertThat(Audiences.matches(r, U, started, at("2021-05-03T10:30:00Z"))).isTrue();
      assertThat(
              Audiences.matches(
                  r,
                  new UserKey(Channel.MESSENGER, "page-2", "u-1"),
                  started,
                  at("2021-05-03T10:30:00Z")))
          .isFalse();
      assertThat(Audiences.matches(r, U, null, at("2021-05-03T10:30:00Z"))).isFalse();
    }
  }
}
