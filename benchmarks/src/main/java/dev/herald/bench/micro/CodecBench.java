package dev.herald.bench.micro;

import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.schema.Decision;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec on the job's paths: a user event parsed from its raw bytes as {@code ParseRecords}
 * parses every record of the {@code user-events} topic, for each kind of event of the population;
 * the event time read at the source before that ({@link RecordCodec#eventTime}); and a decision
 * written as its line of JSON, as the decision sink writes each one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecBench {

  /** One raw event of the typical user, of each kind the population writes. */
  @State(Scope.Benchmark)
  public static class Event {

    /** The population's event kinds, in the order a user writes them. */
    @Param({"interaction", "tag", "otn_optin", "recurring_optin"})
    public String kind;

    byte[] raw;

    @Setup
    public void setUp() {
      raw = TypicalUser.rawEvents().get(KINDS.indexOf(kind));
    }
  }

  private static final List<String> KINDS =
      List.of("interaction", "tag", "otn_optin", "recurring_optin");

  Decision decision;

  @Setup
  public void setUp() {
    decision =
        new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT)
            .decide(
                TypicalUser.campaign(),
                TypicalUser.key(),
                TypicalUser.state(),
                TypicalUser.OUTSIDE_WINDOW,
                null)
            .decision();
  }

  @Benchmark
  public Parsed<UserEvent> parseUserEvent(Event e) {
    return RecordCodec.parseUserEvent(e.raw);
  }

  @Benchmark
  public long eventTime(Event e) {
    return RecordCodec.eventTime(e.raw);
  }

  /** The OTN send of the policy benchmark: a decision with a token, a variant-less resume. */
  @Benchmark
  public String writeDecision() {
    return RecordCodec.write(decision);
  }
}
