package dev.herald.connectors.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.channel.DeliveryLimits;
import dev.herald.schema.Channel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink's configuration: the URL of a call, builders that check themselves, rate steps. */
class ChannelEndpointsTest {

  @Test
  void callsTheGraphApiByDefault() {
    ChannelEndpoints e = ChannelEndpoints.defaults();

    assertThat(e.messagesUri(Channel.MESSENGER, "page-1"))
        .hasToString("https://graph.facebook.com/v23.0/page-1/messages");
    assertThat(e.messagesUri(Channel.WHATSAPP, "1234567890"))
        .hasToString("https://graph.facebook.com/v23.0/1234567890/messages");
  }

  @Test
  void messengerAndInstagramShareABaseWhatsAppHasItsOwn() {
    ChannelEndpoints e =
        ChannelEndpoints.builder()
            .messengerBaseUrl("http://127.0.0.1:8080/")
            .whatsappBaseUrl("http://127.0.0.1:9090/wa")
            .apiVersion("v19.0")
            .build();

    assertThat(e.messagesUri(Channel.INSTAGRAM, "17841"))
        .hasToString("http://127.0.0.1:8080/v19.0/17841/messages");
    assertThat(e.messagesUri(Channel.WHATSAPP, "1"))
        .hasToString("http://127.0.0.1:9090/wa/v19.0/1/messages");
  }

  @Test
  void theAccountIsOnePathSegment() {
    ChannelEndpoints e = ChannelEndpoints.defaults();

    assertThat(e.messagesUri(Channel.MESSENGER, "a/b?c=d#e f").getRawPath())
        .isEqualTo("/v23.0/a%2Fb%3Fc%3Dd%23e%20f/messages");
    assertThat(e.messagesUri(Channel.MESSENGER, "a/b?c").getRawQuery()).isNull();
    assertThat(ChannelEndpoints.pathSegment("página")).isEqualTo("p%C3%A1gina");
  }

  @Test
  void theBuilderChecksItself() {
    assertThatThrownBy(() -> ChannelEndpoints.builder().apiVersion("23.0").build())
        .hasMessage("apiVersion must look like v23.0, not '23.0'");
    assertThatThrownBy(() -> ChannelEndpoints.builder().messengerBaseUrl("ftp://x").build())
        .hasMessage("messengerBaseUrl must be an http or https URL, not 'ftp://x'");
    assertThatThrownBy(() -> ChannelEndpoints.builder().whatsappBaseUrl("http://").build())
        .hasMessageStartingWith("whatsappBaseUrl is not a URL");
    assertThatThrownBy(() -> ChannelEndpoints.builder().baseUrl("http:// x").build())
        .hasMessageStartingWith("messengerBaseUrl is not a URL");
    assertThatThrownBy(
            () -> ChannelEndpoints.builder().baseUrl("https://user:pw@graph.example").build())
        .hasMessage(
            "messengerBaseUrl must be a plain base URL, without user info, query or fragment")
        .message()
        .doesNotContain("pw");
    assertThatThrownBy(
            () -> ChannelEndpoints.builder().baseUrl("https://x/?access_token=t").build())
        .hasMessageContaining("without user info, query or fragment");
    assertThatThrownBy(() -> ChannelEndpoints.builder().requestTimeout(Duration.ZERO).build())
        .hasMessage("requestTimeout must be positive, not PT0S");
  }

  @Test
  void thePresetsCheckThemselves() {
    assertThatThrownBy(() -> ResiliencePresets.builder().maxAttempts(0).build())
        .hasMessage("maxAttempts must be at least 1, not 0");
    assertThatThrownBy(
            () -> ResiliencePresets.builder().backoff(Duration.ofMillis(10), 0.5, 0.1).build())
        .hasMessage("the backoff multiplier must be at least 1, not 0.5");
    assertThatThrownBy(
            () -> ResiliencePresets.builder().backoff(Duration.ofMillis(10), 2, 1.0).build())
        .hasMessage("the backoff jitter must be in [0, 1), not 1.0");
    assertThatThrownBy(() -> ResiliencePresets.builder().breaker(0, 10, 5).build())
        .hasMessage("the breaker's failure rate is a percentage in (0, 100], not 0.0");
    assertThatThrownBy(
            () ->
                ResiliencePresets.builder()
                    .limits(Map.of("page-1", new DeliveryLimits(10, null, null)))
                    .build())
        .hasMessage("limits are keyed channel/account, not 'page-1'");
    assertThatThrownBy(() -> ResiliencePresets.builder().rateRefreshPeriod(Duration.ZERO).build())
        .hasMessage("rateRefreshPeriod must be positive, not PT0S");
  }

  @Test
  void anAccountsRateIsItsOverrideElseTheChannelsDefault() {
    ResiliencePresets p =
        ResiliencePresets.builder()
            .limits(Map.of("whatsapp/1", new DeliveryLimits(1000, null, null)))
            .build();

    assertThat(p.perSecond(Channel.WHATSAPP, "1")).isEqualTo(1000);
    assertThat(p.perSecond(Channel.WHATSAPP, "2")).isEqualTo(80);
    assertThat(p.perSecond(Channel.MESSENGER, "1")).isEqualTo(300);
  }

  @Test
  void theRateComesInSmallStepsNotOneBurstASecond() {
    ResiliencePresets p = ResiliencePresets.defaults(); // 50 ms refresh

    assertThat(p.rateCycle(80))
        .isEqualTo(new ResiliencePresets.RateCycle(4, Duration.ofMillis(50)));
    assertThat(p.rateCycle(300))
        .isEqualTo(new ResiliencePresets.RateCycle(15, Duration.ofMillis(50)));
    // Slower than one a refresh: one permit a cycle, the cycle stretched to keep the rate exact.
    assertThat(p.rateCycle(7))
        .isEqualTo(new ResiliencePresets.RateCycle(1, Duration.ofNanos(142_857_142)));
  }

  @Test
  void theAsyncTimeoutOutlastsEveryAttemptAndWait() {
    ChannelEndpoints e = ChannelEndpoints.defaults();

    // 4 attempts of (5 s rate wait + 10 s call) + backoffs 0.75 + 1.5 + 3 s, + 5 s to spare.
    assertThat(e.presets().longestDelivery(e.requestTimeout()))
        .isEqualTo(Duration.ofMillis(65_250));
    assertThat(e.asyncTimeout()).isEqualTo(Duration.ofMillis(70_250));
  }
}
