package dev.herald.job.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channel.DeliveryLimits;
import dev.herald.job.dispatch.ReleaseRules.Wait;
import dev.herald.schema.Basis;
import dev.herald.schema.SendRequest;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ReleaseRules}, table-driven: when pair rate and tier let a request go, and what holds it.
 */
class DispatchReleaseRulesTest {

  private static final long NOW = 100_000;
  private static final long LEAVES = NOW + 500;

  /**
   * basis, last release to the user (ms before now; -1: none), counted towards the tier, users
   * counted, tier (0: none) → until, hold.
   */
  @ParameterizedTest
  @CsvSource({
    "STANDARD_WINDOW, -1,    false, 0, 0, 100000, RATE",
    "STANDARD_WINDOW, 5999,  false, 0, 0, 100001, PAIR",
    "STANDARD_WINDOW, 6000,  false, 0, 0, 100000, RATE",
    "STANDARD_WINDOW, 0,     false, 9, 2, 106000, PAIR",
    "TEMPLATE,        -1,    false, 1, 2, 100000, RATE",
    "TEMPLATE,        -1,    false, 2, 2, 100500, TIER",
    "TEMPLATE,        -1,    true,  2, 2, 100000, RATE",
    "TEMPLATE,        1000,  false, 2, 2, 105000, PAIR",
    "TEMPLATE,        5800,  false, 2, 2, 100500, TIER",
    "TEMPLATE,        -1,    false, 5, 0, 100000, RATE",
    "MESSAGE_TAG,     -1,    false, 5, 2, 100000, RATE",
  })
  void pairAndTier(
      Basis basis, long ago, boolean counted, long contacts, int tier, long until, Hold hold)
      throws Exception {
    ReleaseRules rules =
        new ReleaseRules(new DeliveryLimits(80, Duration.ofSeconds(6), tier == 0 ? null : tier));
    SendRequest request = DispatchHarness.request("r", "u", basis, NOW + 100_000);

    Wait wait =
        rules.waitFor(request, NOW, ago < 0 ? null : NOW - ago, counted, contacts, () -> LEAVES);

    assertThat(wait).isEqualTo(new Wait(until, hold));
  }

  @ParameterizedTest
  @CsvSource({"5999, 100051, PAIR", "6049, 100001, PAIR", "6050, 100000, RATE"})
  void aMarginLengthensThePairInterval(long ago, long until, Hold hold) throws Exception {
    ReleaseRules rules = new ReleaseRules(new DeliveryLimits(80, Duration.ofSeconds(6), null), 50);
    SendRequest request = DispatchHarness.request("r", "u", Basis.STANDARD_WINDOW, NOW + 100_000);

    assertThat(rules.waitFor(request, NOW, NOW - ago, false, 0, () -> LEAVES))
        .isEqualTo(new Wait(until, hold));
  }
}
