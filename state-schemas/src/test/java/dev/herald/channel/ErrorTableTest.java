package dev.herald.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.Channel;
import dev.herald.schema.PlatformError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the error table (spec/DOMAIN.md, "Delivery limits"), read per channel: Instagram
 * uses Messenger's codes; a code listed without a subcode matches any subcode, one listed with a
 * subcode only that subcode; a code of another channel means nothing.
 */
class ErrorTableTest {

  /** The table: channel (messenger stands for instagram too), code, subcode, effect. */
  private static final String[] TABLE = {
    "messenger 613 - RETRY",
    "messenger 4 - RETRY",
    "messenger 2 - RETRY",
    "messenger 1200 - RETRY",
    "whatsapp 130429 - RETRY",
    "whatsapp 131056 - RETRY_USER",
    "whatsapp 80007 - RETRY",
    "whatsapp 131000 - RETRY",
    "messenger 10 2018278 OUTSIDE_WINDOW",
    "whatsapp 131047 - OUTSIDE_WINDOW",
    "messenger 551 - UNREACHABLE",
    "messenger 10 2018108 UNREACHABLE",
    "messenger 200 1545041 UNREACHABLE",
    "whatsapp 131026 - UNREACHABLE",
    "whatsapp 131050 - MARKETING_STOPPED",
    "whatsapp 131049 - MARKETING_LIMIT",
    "messenger 368 - ACCOUNT_RESTRICTED",
    "messenger 10 1893063 ACCOUNT_RESTRICTED",
    "whatsapp 131048 - ACCOUNT_RESTRICTED",
    "whatsapp 368 - ACCOUNT_RESTRICTED",
    "messenger 190 - TOKEN_INVALID",
    "whatsapp 190 - TOKEN_INVALID",
  };

  /** One row for each channel it applies to. */
  static Stream<Arguments> rows() {
    List<Arguments> rows = new ArrayList<>();
    for (String row : TABLE) {
      String[] f = row.split(" ");
      Long subcode = f[2].equals("-") ? null : Long.valueOf(f[2]);
      ErrorEffect effect = ErrorEffect.valueOf(f[3]);
      List<Channel> channels =
          f[0].equals("messenger")
              ? List.of(Channel.MESSENGER, Channel.INSTAGRAM)
              : List.of(Channel.WHATSAPP);
      for (Channel c : channels) {
        rows.add(Arguments.of(c, Long.parseLong(f[1]), subcode, effect));
      }
    }
    return rows.stream();
  }

  private static ErrorEffect classify(Channel channel, long code, Long subcode) {
    return MessagingChannel.of(channel).classify(new PlatformError(code, subcode));
  }

  @ParameterizedTest(name = "{0} {1}/{2} is {3}")
  @MethodSource("rows")
  void eachRowOfTheTable(Channel channel, long code, Long subcode, ErrorEffect effect) {
    assertThat(classify(channel, code, subcode)).isEqualTo(effect);
  }

  @ParameterizedTest(name = "{0} {1}/{2}: the subcode rule")
  @MethodSource("rows")
  void subcodes(Channel channel, long code, Long subcode, ErrorEffect effect) {
    if (subcode == null) {
      // Listed without a subcode: any subcode matches.
      assertThat(classify(channel, code, 2018278L)).isEqualTo(effect);
      assertThat(classify(channel, code, 1L)).isEqualTo(effect);
    } else {
      // Listed with one: no subcode, or another, is not this row.
      assertThat(classify(channel, code, null)).isEqualTo(ErrorEffect.OTHER);
      assertThat(classify(channel, code, subcode + 1)).isEqualTo(ErrorEffect.OTHER);
    }
  }

  @ParameterizedTest(name = "{0} {1}/{2}: not a code of the other channels")
  @MethodSource("rows")
  void aCodeOfAnotherChannelMeansNothing(
      Channel channel, long code, Long subcode, ErrorEffect effect) {
    if (code == 190 || code == 368) {
      return; // listed for both
    }
    Channel other = channel == Channel.WHATSAPP ? Channel.MESSENGER : Channel.WHATSAPP;
    assertThat(classify(other, code, subcode)).isEqualTo(ErrorEffect.OTHER);
  }

  @ParameterizedTest
  @CsvSource({"messenger, 100", "instagram, 100", "whatsapp, 131009", "whatsapp, 1"})
  void anUnlistedCodeIsOther(String channel, long code) {
    Channel c = Channel.valueOf(channel.toUpperCase(java.util.Locale.ROOT));
    assertThat(classify(c, code, null)).isEqualTo(ErrorEffect.OTHER);
  }

  @Test
  void whatEachEffectChanges() {
    // The table's "retry" column: only rate limits and transient errors.
    assertThat(ErrorEffect.values())
        .filteredOn(ErrorEffect::retryable)
        .containsExactlyInAnyOrder(ErrorEffect.RETRY, ErrorEffect.RETRY_USER);
    // "pause the account" (and alert, for the token).
    assertThat(ErrorEffect.values())
        .filteredOn(ErrorEffect::pausesAccount)
        .containsExactlyInAnyOrder(ErrorEffect.ACCOUNT_RESTRICTED, ErrorEffect.TOKEN_INVALID);
    assertThat(ErrorEffect.values())
        .filteredOn(ErrorEffect::perUser)
        .containsExactlyInAnyOrder(
            ErrorEffect.RETRY_USER,
            ErrorEffect.OUTSIDE_WINDOW,
            ErrorEffect.UNREACHABLE,
            ErrorEffect.MARKETING_STOPPED,
            ErrorEffect.MARKETING_LIMIT);
  }
}
