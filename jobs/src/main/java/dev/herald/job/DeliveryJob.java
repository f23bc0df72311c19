package dev.herald.job;

import dev.herald.channel.MessagingChannel;
import dev.herald.connectors.channel.ChannelSinkFunction;
import dev.herald.connectors.file.SourceLine;
import dev.herald.connectors.kafka.SourceEventTime;
import dev.herald.job.dispatch.Dispatcher;
import dev.herald.job.types.Types;
import dev.herald.schema.AccountState;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The delivery job's graph, and nothing else: sources and sinks come in (real ones from {@code
 * main}, test ones from tests), every operator gets a constant {@code uid} and a name.
 *
 * <pre>
 * inputs ─► parse ─► user events ─► event time ─► keyBy(user) ─┐
 *             │ └──► campaign records ─► event time ─► broadcast ┤
 *             ▼                                                  ▼
 *        dead letters ◄──────────────────────────── user decisions (RocksDB)
 *                                                     │ decisions ─► sink
 *                                                     └ send requests ─► sink
 *                                                          │ (with delivery)
 *   account records, pausing failures ─► keyBy(account) ─► dispatcher (RocksDB)
 *                                                          │ released   └ expired ─┐
 *                                                          ▼                        ▼
 *                                              channel sink (async HTTP) ─► delivery outcomes
 * </pre>
 *
 * <p>The outcomes go to a topic the job reads back as user events (an inputs' concern): the graph
 * itself has no cycle.
 */
public final class DeliveryJob {

  /** Operator uids: savepoints map state by these, so they never change once released. */
  public static final String UID_DECISIONS = "user-decisions";

  public static final String UID_USER_EVENT_TIME = "user-event-time";
  public static final String UID_CAMPAIGN_EVENT_TIME = "campaign-event-time";
  public static final String UID_DECISIONS_SINK = "decisions-sink";
  public static final String UID_SEND_REQUESTS_SINK = "send-requests-sink";
  public static final String UID_DEAD_LETTERS_SINK = "dead-letters-sink";
  public static final String UID_ACCOUNT_STATUS = "account-status";
  public static final String UID_DISPATCHER = "dispatcher";
  public static final String UID_DELIVERY_OUTCOMES_SINK = "delivery-outcomes-sink";

  /** How event time advances. */
  public enum Time {
    /** A bounded replay: every record is read, then event time runs to the end. */
    REPLAY,
    /**
     * Live inputs: event time follows the newest records, and the wall clock when they are idle.
     */
    LIVE
  }

  /**
   * One input of raw lines. Inputs that carry campaign records must have parallelism 1, so that
   * every subtask of the decision operator sees them in the same order.
   *
   * @param name a short name, unique among the inputs; part of operator uids
   * @param eventTimeAtSource in live time, whether watermarks are made in the source, per split
   *     (per Kafka partition, so an idle or lagging partition neither holds event time back nor is
   *     overtaken), from each raw record's {@code at}; otherwise they are made after parsing
   */
  public record Input(
      String name,
      Source<SourceLine, ?, ?> source,
      ParseRecords.Accepts accepts,
      int parallelism,
      boolean eventTimeAtSource) {
    public Input {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(source, "source");
      if (accepts != ParseRecords.Accepts.USER_EVENTS && parallelism != 1) {
        throw new IllegalArgumentException(
            "input " + name + " carries campaign records: its parallelism must be 1");
      }
    }

    /** An input whose event time is made after parsing. */
    public Input(
        String name,
        Source<SourceLine, ?, ?> source,
        ParseRecords.Accepts accepts,
        int parallelism) {
      this(name, source, accepts, parallelism, false);
    }
  }

  /** Where the outputs go. */
  public record Sinks(
      Sink<Decision> decisions, Sink<SendRequest> sendRequests, Sink<DeadLetter> deadLetters) {}

  /**
   * Delivery to the channels: the per-account dispatcher, the channel sink it releases to, and
   * where every request's outcome goes. Only in live time: a replay of history sends nothing.
   *
   * @param dispatcher releases each account's requests no faster than its limits
   * @param channels calls the platform and answers one outcome per request, never an exception
   * @param outcomes where {@code sent}, {@code failed} and {@code expired} outcomes are written
   */
  public record Delivery(
      Dispatcher dispatcher, ChannelSinkFunction channels, Sink<DeliveryOutcome> outcomes) {
    public Delivery {
      Objects.requireNonNull(dispatcher, "dispatcher");
      Objects.requireNonNull(channels, "channels");
      Objects.requireNonNull(outcomes, "outcomes");
    }
  }

  private final JobConfig config;
  private final List<Input> inputs;
  private final Sinks sinks;
  private final Time time;
  private final boolean timeAtSource;
  private final Delivery delivery;

  public DeliveryJob(JobConfig config, List<Input> inputs, Sinks sinks, Time time) {
    this(config, inputs, sinks, time, null);
  }

  /**
   * @param delivery delivery to the channels; {@code null}: none (send requests go to their sink
   *     only)
   * @throws IllegalArgumentException if delivery is asked for in replay time
   */
  public DeliveryJob(
      JobConfig config, List<Input> inputs, Sinks sinks, Time time, Delivery delivery) {
    if (delivery != null && time != Time.LIVE) {
      throw new IllegalArgumentException(
          "delivery runs in live time only: a replay of history sends nothing");
    }
    this.delivery = delivery;
    this.config = Objects.requireNonNull(config, "config");
    this.inputs = List.copyOf(inputs);
    this.sinks = Objects.requireNonNull(sinks, "sinks");
    this.time = Objects.requireNonNull(time, "time");
    if (this.inputs.isEmpty()) {
      throw new IllegalArgumentException("the job needs at least one input");
    }
    long atSource = this.inputs.stream().filter(Input::eventTimeAtSource).count();
    if (atSource != 0 && atSource != this.inputs.size()) {
      throw new IllegalArgumentException(
          "either every input makes its event time at the source, or none does");
    }
    this.timeAtSource = time == Time.LIVE && atSource != 0;
  }

  /** Adds the job's graph to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    env.getConfig().setGlobalJobParameters(config.asJobParameters());

    List<DataStream<UserEvent>> events = new ArrayList<>();
    List<DataStream<ControlInput>> controls = new ArrayList<>();
    List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
    for (Input in : inputs) {
      SingleOutputStreamOperator<UserEvent> parsed =
          env.fromSource(in.source(), sourceTime(), "read " + in.name())
              .uid("source-" + in.name())
              .setParallelism(in.parallelism())
              .process(new ParseRecords(in.accepts(), in.name()), Types.USER_EVENT)
              .uid("parse-" + in.name())
              .name("parse " + in.name())
              .setParallelism(in.parallelism());
      events.add(parsed);
      controls.add(parsed.getSideOutput(ParseRecords.CONTROL));
      deadLetters.add(parsed.getSideOutput(ParseRecords.DEAD_LETTERS));
    }

    DataStream<UserEvent> userEvents = union(events);
    DataStream<ControlInput> campaigns = union(controls);
    if (!timeAtSource) {
      userEvents =
          userEvents
              .assignTimestampsAndWatermarks(
                  eventTime((UserEvent e, long ts) -> e.at().toEpochMilli()))
              .uid(UID_USER_EVENT_TIME)
              .name("user event time");
      campaigns =
          campaigns
              .assignTimestampsAndWatermarks(
                  eventTime((ControlInput c, long ts) -> c.record().at().toEpochMilli()))
              .uid(UID_CAMPAIGN_EVENT_TIME)
              .name("campaign event time")
              .setParallelism(1);
    }

    SingleOutputStreamOperator<Decision> decisions =
        userEvents
            .keyBy(new ByUser(), Types.USER_KEY)
            .connect(campaigns.broadcast())
            .transform("user decisions", Types.DECISION, new UserDecisionOperator(config.policy()))
            .uid(UID_DECISIONS);
    if (config.parallelism() > 0) {
      decisions.setParallelism(config.parallelism());
    }

    decisions.sinkTo(sinks.decisions()).uid(UID_DECISIONS_SINK).name("decisions");
    decisions
        .getSideOutput(UserDecisionOperator.SEND_REQUESTS)
        .sinkTo(sinks.sendRequests())
        .uid(UID_SEND_REQUESTS_SINK)
        .name("send requests");
    deadLetters.add(decisions.getSideOutput(UserDecisionOperator.DEAD_LETTERS));
    union(deadLetters).sinkTo(sinks.deadLetters()).uid(UID_DEAD_LETTERS_SINK).name("dead letters");

    if (delivery != null) {
      deliver(decisions.getSideOutput(UserDecisionOperator.SEND_REQUESTS), userEvents, campaigns);
    }
  }

  /**
   * Send requests through each account's dispatcher to the channels. An account is paused and
   * resumed by {@code account} records, and paused by a failure whose error pauses the account
   * (read back from the outcomes topic as a user event).
   */
  private void deliver(
      DataStream<SendRequest> requests,
      DataStream<UserEvent> userEvents,
      DataStream<ControlInput> campaigns) {
    DataStream<AccountStatus> accountStatus =
        campaigns
            .flatMap(new AccountRecords(), Types.ACCOUNT_STATUS)
            .setParallelism(1)
            .uid(UID_ACCOUNT_STATUS + "-records")
            .name("account records")
            .union(
                userEvents
                    .flatMap(new PausingFailures(), Types.ACCOUNT_STATUS)
                    .uid(UID_ACCOUNT_STATUS + "-failures")
                    .name("pausing failures"));
    SingleOutputStreamOperator<SendRequest> released =
        requests
            .keyBy(Dispatcher::keyOf, BasicTypeInfo.STRING_TYPE_INFO)
            .connect(accountStatus.keyBy(Dispatcher::keyOf, BasicTypeInfo.STRING_TYPE_INFO))
            .process(delivery.dispatcher(), Types.SEND_REQUEST)
            .uid(UID_DISPATCHER)
            .name("dispatcher");
    if (config.parallelism() > 0) {
      released.setParallelism(config.parallelism());
    }
    SingleOutputStreamOperator<DeliveryOutcome> outcomes =
        ChannelSinkFunction.attach(released, delivery.channels()).returns(Types.DELIVERY_OUTCOME);
    if (config.parallelism() > 0) {
      outcomes.setParallelism(config.parallelism());
    }
    outcomes
        .union(released.getSideOutput(Dispatcher.EXPIRED))
        .sinkTo(delivery.outcomes())
        .uid(UID_DELIVERY_OUTCOMES_SINK)
        .name("delivery outcomes");
  }

  /** The {@code account} records among the campaign records. */
  static final class AccountRecords implements FlatMapFunction<ControlInput, AccountStatus> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(ControlInput in, Collector<AccountStatus> out) {
      if (in.record() instanceof AccountStatus a) {
        out.collect(a);
      }
    }
  }

  /**
   * A failed delivery whose error pauses the whole account (restricted, token invalid), as a pause
   * of the account at the instant the platform answered.
   */
  static final class PausingFailures implements FlatMapFunction<UserEvent, AccountStatus> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(UserEvent e, Collector<AccountStatus> out) {
      if (e instanceof UserEvent.Delivery d
          && d.status() == DeliveryStatus.FAILED
          && d.error() != null
          && MessagingChannel.of(d.key().channel()).classify(d.error()).pausesAccount()) {
        out.collect(
            new AccountStatus(d.at(), d.key().channel(), d.key().account(), AccountState.PAUSED));
      }
    }
  }

  /** Event time at the source: live watermarks per split from each raw record's {@code at}. */
  private WatermarkStrategy<SourceLine> sourceTime() {
    return timeAtSource ? eventTime(new SourceEventTime()) : WatermarkStrategy.noWatermarks();
  }

  private <T> WatermarkStrategy<T> eventTime(SerializableTimestampAssigner<T> at) {
    WatermarkStrategy<T> strategy;
    if (time == Time.LIVE) {
      Duration outOfOrderness = config.outOfOrderness();
      Duration idleAfter = config.idleAfter();
      strategy =
          WatermarkStrategy.forGenerator(
              ctx -> new LiveWatermarks<>(outOfOrderness, idleAfter, Clock.systemUTC()));
    } else {
      strategy = WatermarkStrategy.noWatermarks(); // the end of a bounded input ends event time
    }
    return strategy.withTimestampAssigner(at);
  }

  private static <T> DataStream<T> union(List<DataStream<T>> streams) {
    DataStream<T> first = streams.get(0);
    if (streams.size() == 1) {
      return first;
    }
    @SuppressWarnings("unchecked")
    DataStream<T>[] rest = streams.subList(1, streams.size()).toArray(new DataStream[0]);
    return first.union(rest);
  }

  /** The key of a user event. */
  static final class ByUser implements KeySelector<UserEvent, UserKey> {
    private static final long serialVersionUID = 1L;

    @Override
    public UserKey getKey(UserEvent e) {
      return e.key();
    }
  }
}
