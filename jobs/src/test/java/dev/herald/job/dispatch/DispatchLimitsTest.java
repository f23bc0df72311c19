package dev.herald.job.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.channel.DeliveryLimits;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import java.time.Duration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * {@link DispatchLimits}: channel defaults, per-account overrides, and the checks of its builder.
 */
class DispatchLimitsTest {

  private static final DeliveryLimits UPGRADED =
      new DeliveryLimits(1_000, Duration.ofSeconds(6), 2_000);

  @Test
  void everyAccountGetsItsChannelsDefaultsUnlessOverridden() {
    DispatchLimits limits =
        DispatchLimits.builder()
            .account(Channel.WHATSAPP, "1098765", UPGRADED)
            .channel(Channel.INSTAGRAM, new DeliveryLimits(100, null, null))
            .build();

    assertThat(limits.forAccount("whatsapp/1098765")).isEqualTo(UPGRADED);
    assertThat(limits.forAccount("whatsapp/other"))
        .isEqualTo(MessagingChannel.of(Channel.WHATSAPP).defaultLimits())
        .isEqualTo(new DeliveryLimits(80, Duration.ofSeconds(6), null));
    assertThat(limits.forAccount("messenger/page/with/slashes"))
        .isEqualTo(new DeliveryLimits(300, null, null));
    assertThat(limits.forAccount("instagram/ig-1")).isEqualTo(new DeliveryLimits(100, null, null));
    assertThat(DispatchLimits.defaults().forAccount("instagram/ig-1"))
        .isEqualTo(new DeliveryLimits(300, null, null));
  }

  @Test
  void theLimitsTravelWithTheJobGraph() throws Exception {
    DispatchLimits limits = DispatchLimits.builder().account("whatsapp/1", UPGRADED).build();

    DispatchLimits back =
        InstantiationUtil.clone(limits, DispatchLimitsTest.class.getClassLoader());

    assertThat(back.forAccount("whatsapp/1")).isEqualTo(UPGRADED);
    assertThat(back.forAccount("messenger/p")).isEqualTo(new DeliveryLimits(300, null, null));
  }

  @Test
  void aBadAccountKeyIsNamedWithTheFormItNeeds() {
    assertThatThrownBy(() -> DispatchLimits.builder().account("telegram/1", UPGRADED))
        .hasMessage(
            "an account key is channel/account with a channel of messenger, instagram, whatsapp,"
                + " not 'telegram/1'");
    assertThatThrownBy(() -> DispatchLimits.builder().account("whatsapp/", UPGRADED))
        .hasMessageContaining("not 'whatsapp/'");
    assertThatThrownBy(() -> DispatchLimits.builder().account(Channel.WHATSAPP, "", UPGRADED))
        .hasMessage("an override of whatsapp limits needs an account");
  }

  @Test
  void anAccountGivenTwiceFailsAtBuild() {
    var builder =
        DispatchLimits.builder()
            .account(Channel.WHATSAPP, "1", UPGRADED)
            .account("whatsapp/1", UPGRADED.withPerSecond(80));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the limits of account whatsapp/1 are given 2 times");
  }

  @Test
  void theMarginIsZeroUnlessGivenAndUnderOneSecond() {
    assertThat(DispatchLimits.defaults().margin()).isZero();
    assertThat(DispatchLimits.builder().margin(Duration.ofMillis(50)).build().margin())
        .isEqualTo(Duration.ofMillis(50));
    assertThatThrownBy(() -> DispatchLimits.builder().margin(Duration.ofSeconds(1)))
        .hasMessage("the delivery margin must be at least 0 and under 1 s, not PT1S");
    assertThatThrownBy(() -> DispatchLimits.builder().margin(Duration.ofMillis(-1)))
        .hasMessage("the delivery margin must be at least 0 and under 1 s, not PT-0.001S");
  }
}
