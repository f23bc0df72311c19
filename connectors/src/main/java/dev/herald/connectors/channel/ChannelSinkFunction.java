package dev.herald.connectors.channel;

import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.SendRequest;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The channel sink: sends each {@link SendRequest} to its platform and emits exactly one {@link
 * DeliveryOutcome} for it ({@code sent}, {@code failed} or {@code expired}), for the {@code
 * delivery-outcomes} topic. It runs in Flink's async I/O operator, so no call blocks the task
 * thread; the work is {@link ChannelDelivery}'s, built here in {@link #open}.
 *
 * <p>A channel failure is an outcome, never a failed job: the result future is always completed
 * with one outcome, never exceptionally, and Flink's timeout completes it with a failed outcome
 * too. An account without a token fails its requests with "no credentials for …" and the job goes
 * on.
 *
 * <p>Wire it with {@link #attach}, which calls {@code AsyncDataStream.unorderedWait(requests,
 * function, timeout, MILLISECONDS, capacity)} with:
 *
 * <ul>
 *   <li><b>timeout</b> {@link ChannelEndpoints#asyncTimeout()}: longer than a request can take
 *       through all its attempts and waits (about 70 s with the defaults), so the sink's own
 *       outcome, with its reason, ends a request, and Flink's timeout is only a last resort;
 *   <li><b>capacity</b> {@link ResiliencePresets#maxCallsInFlight()} (100 by default): the requests
 *       one subtask holds at once, waiting or in flight. At most the bulkhead's limit, so one
 *       subtask can never fill an account's bulkhead, and the operator's backpressure, not failed
 *       requests, slows the stream when the platforms are slow. 100 calls in flight carry 300
 *       sends/s at about 300 ms a call.
 * </ul>
 *
 * <p>The order of outcomes is not kept (unordered): outcomes are keyed per user downstream, and one
 * slow account must not hold up the others.
 */
public final class ChannelSinkFunction extends RichAsyncFunction<SendRequest, DeliveryOutcome> {

  private static final long serialVersionUID = 1L;

  /** The sink operator's uid; never change it once released (savepoints depend on it). */
  public static final String UID = "channel-sink";

  /** The sink operator's name in the Web UI. */
  public static final String NAME = "Channel sink";

  private final ChannelEndpoints endpoints;
  private final CredentialsSource credentials;
  private final Clock clock;

  private transient ChannelClient client;
  private transient ScheduledExecutorService scheduler;
  private transient ChannelDelivery delivery;
  private transient ChannelMetrics metrics;

  /** A sink on the system's UTC clock. */
  public ChannelSinkFunction(ChannelEndpoints endpoints, CredentialsSource credentials) {
    this(endpoints, credentials, Clock.systemUTC());
  }

  /**
   * @param clock the time of notAfter checks and of outcomes; it travels with the function, so it
   *     must be serializable (the JDK's system and fixed clocks are)
   */
  public ChannelSinkFunction(
      ChannelEndpoints endpoints, CredentialsSource credentials, Clock clock) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@code requests} through {@code sink}, in Flink's unordered async I/O with the timeout and
   * capacity recommended above, named {@value #NAME} with uid {@value #UID}.
   */
  public static SingleOutputStreamOperator<DeliveryOutcome> attach(
      DataStream<SendRequest> requests, ChannelSinkFunction sink) {
    return AsyncDataStream.unorderedWait(
            requests,
            sink,
            sink.endpoints.asyncTimeout().toMillis(),
            TimeUnit.MILLISECONDS,
            sink.endpoints.presets().maxCallsInFlight())
        .uid(UID)
        .name(NAME);
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    // Read here, on the task manager: a file or variable never enters the job graph.
    Credentials tokens = credentials.load();
    client = new ChannelClient(endpoints);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "herald-channel-scheduler");
              t.setDaemon(true);
              return t;
            });
    metrics = new ChannelMetrics(getRuntimeContext().getMetricGroup());
    delivery = new ChannelDelivery(client, tokens, endpoints.presets(), clock, scheduler, metrics);
  }

  @Override
  public void asyncInvoke(SendRequest request, ResultFuture<DeliveryOutcome> result) {
    delivery
        .deliver(request)
        .whenComplete(
            (outcome, error) ->
                result.complete(
                    List.of(
                        error == null
                            ? outcome
                            : DeliveryOutcome.failed(
                                request,
                                clock.instant(),
                                null,
                                "unexpected " + error.getClass().getSimpleName()))));
  }

  @Override
  public void timeout(SendRequest request, ResultFuture<DeliveryOutcome> result) {
    // Not counted here: the delivery still ends and counts its own outcome, which Flink drops.
    result.complete(
        List.of(
            DeliveryOutcome.failed(
                request, clock.instant(), null, "no outcome within the async timeout")));
  }

  @Override
  public void close() throws Exception {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
  }
}
