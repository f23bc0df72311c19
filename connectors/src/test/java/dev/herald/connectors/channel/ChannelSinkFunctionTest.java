package dev.herald.connectors.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.Basis;
import dev.herald.schema.Channel;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import dev.herald.simulator.ChannelSimulator;
import dev.herald.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink function in Flink's async wait operator (its test harness), sending to the channel
 * simulator: one outcome per request, whatever happens to it, and never a failed job.
 */
class ChannelSinkFunctionTest {

  private static final String PAGE = "page-1";
  private static final String TOKEN = "EAAB-page-token";
  private static final long LONG_TIMEOUT_MS = 60_000;

  private ChannelSimulator simulator;

  @BeforeEach
  void start() throws Exception {
    simulator =
        ChannelSimulator.start(
            SimulatorConfig.builder()
                .clock(Clock.systemUTC())
                .token(PAGE, TOKEN)
                .catchUpWait(Duration.ZERO)
                .threads(4)
                .build());
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void emitsExactlyOneOutcomePerRequest() throws Exception {
    Instant now = Instant.now();
    interaction("u-ok", now);
    interaction("u-gone", now);
    simulator.markUnreachable(PAGE, "u-gone");
    SendRequest ok = Requests.inWindow(Channel.MESSENGER, PAGE, "u-ok", now);
    SendRequest gone = Requests.inWindow(Channel.MESSENGER, PAGE, "u-gone", now);
    SendRequest noToken = Requests.inWindow(Channel.WHATSAPP, "123", "4917", now);
    SendRequest late =
        Requests.request(
                Channel.MESSENGER,
                PAGE,
                "u-ok",
                Basis.STANDARD_WINDOW,
                now.minusSeconds(90),
                now.minusSeconds(30))
            .build();
    ChannelSinkFunction sink =
        new ChannelSinkFunction(
            endpoints(),
            CredentialsSource.inline(
                Credentials.of(Map.of("messenger/" + PAGE, Secret.of(TOKEN)))));

    List<DeliveryOutcome> out = run(sink, LONG_TIMEOUT_MS, ok, gone, noToken, late);

    assertThat(out).hasSize(4);
    Map<String, DeliveryOutcome> byRequest =
        out.stream().collect(Collectors.toMap(DeliveryOutcome::requestId, Function.identity()));
    assertThat(byRequest.get(ok.requestId()).status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(byRequest.get(ok.requestId()).messageId()).isNotBlank();
    assertThat(byRequest.get(gone.requestId()).error()).isEqualTo(new PlatformError(551, null));
    assertThat(byRequest.get(noToken.requestId()).reason())
        .isEqualTo("no credentials for whatsapp/123");
    assertThat(byRequest.get(late.requestId()).status()).isEqualTo(DeliveryStatus.EXPIRED);
    assertThat(simulator.counters().received()).isEqualTo(2);
  }

  @Test
  void flinksTimeoutEndsARequestWithAFailedOutcome() throws Exception {
    Instant now = Instant.now();
    interaction("u-1", now);
    simulator.faults().latency(Duration.ofSeconds(5));
    ChannelSinkFunction sink =
        new ChannelSinkFunction(
            endpoints(),
            CredentialsSource.inline(
                Credentials.of(Map.of("messenger/" + PAGE, Secret.of(TOKEN)))));
    SendRequest r = Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", now);

    // The harness's processing time moves only when told: past the timeout, Flink gives up.
    List<DeliveryOutcome> out = run(sink, 100, 101, r);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(out.get(0).requestId()).isEqualTo(r.requestId());
    assertThat(out.get(0).reason()).isEqualTo("no outcome within the async timeout");
  }

  @Test
  void readsTheCredentialsFileWhenItOpens(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "# the page\nmessenger/" + PAGE + "=" + TOKEN + "\n");
    Instant now = Instant.now();
    interaction("u-1", now);
    ChannelSinkFunction sink = new ChannelSinkFunction(endpoints(), CredentialsSource.file(file));

    List<DeliveryOutcome> out =
        run(sink, LONG_TIMEOUT_MS, Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", now));

    assertThat(out).extracting(DeliveryOutcome::status).containsExactly(DeliveryStatus.SENT);
    assertThat(simulator.counters().unauthorized()).isZero();
  }

  @Test
  void shipsAsFlinkShipsItWithoutTheTokensOfAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "messenger/" + PAGE + "=" + TOKEN + "\n");
    ChannelSinkFunction sink =
        new ChannelSinkFunction(endpoints(), CredentialsSource.file(file), Clock.systemUTC());

    byte[] shipped = InstantiationUtil.serializeObject(sink);

    assertThat(new String(shipped, StandardCharsets.ISO_8859_1))
        .contains(file.toString())
        .doesNotContain(TOKEN);
    assertThat(InstantiationUtil.clone(sink)).isNotNull();
  }

  @Test
  void attachWiresTheUnorderedAsyncOperatorWithItsUidAndName() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<SendRequest> requests =
        env.fromData(
            TypeInformation.of(SendRequest.class),
            Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", Instant.now()));

    Transformation<DeliveryOutcome> t =
        ChannelSinkFunction.attach(
                requests,
                new ChannelSinkFunction(
                    ChannelEndpoints.defaults(), CredentialsSource.environment()))
            .getTransformation();

    assertThat(t.getUid()).isEqualTo(ChannelSinkFunction.UID);
    assertThat(t.getName()).isEqualTo(ChannelSinkFunction.NAME);
  }

  private List<DeliveryOutcome> run(
      ChannelSinkFunction sink, long timeoutMs, SendRequest... requests) throws Exception {
    return run(sink, timeoutMs, 0, requests);
  }

  /** Runs {@code requests} through the sink, with the operator's clock moved to {@code time}. */
  private List<DeliveryOutcome> run(
      ChannelSinkFunction sink, long timeoutMs, long time, SendRequest... requests)
      throws Exception {
    TypeSerializer<SendRequest> serializer =
        TypeInformation.of(SendRequest.class).createSerializer(new SerializerConfigImpl());
    try (OneInputStreamOperatorTestHarness<SendRequest, DeliveryOutcome> harness =
        new OneInputStreamOperatorTestHarness<>(
            new AsyncWaitOperatorFactory<>(
                sink, timeoutMs, 10, AsyncDataStream.OutputMode.UNORDERED),
            serializer)) {
      harness.open();
      for (SendRequest r : requests) {
        harness.processElement(r, 0);
      }
      harness.setProcessingTime(time);
      harness.endInput(); // waits until every request in flight has its outcome
      return harness.extractOutputValues();
    }
  }

  private ChannelEndpoints endpoints() {
    return ChannelEndpoints.builder()
        .messengerBaseUrl(simulator.messengerBaseUrl().toString())
        .whatsappBaseUrl(simulator.whatsappBaseUrl().toString())
        .presets(ChannelDeliveryTest.fastPresets().build())
        .build();
  }

  private void interaction(String user, Instant at) {
    simulator
        .referee()
        .accept(
            String.format(
                "{\"type\":\"interaction\",\"at\":\"%s\",\"channel\":\"messenger\",\"account\":\"%s\",\"user\":\"%s\"}",
                at, PAGE, user));
  }
}
