package dev.herald.bench.micro;

import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.policy.Verdict;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.UserKey;
import dev.herald.state.UserState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One campaign decision for one user, through the entry point the job's {@link
 * dev.herald.policy.UserAgenda} calls per user per campaign due: {@link Policy#decide(Campaign,
 * UserKey, UserState, java.time.Instant, java.time.Instant)}. A typical user inside their window
 * (sent on the standard window), and the same user two days later, outside it, holding an OTN token
 * for the campaign's topic (sent on the token, which is spent).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PolicyBench {

  Policy policy;
  Campaign campaign;
  UserKey key;
  UserState user;

  @Setup
  public void setUp() {
    policy = new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT);
    campaign = TypicalUser.campaign();
    key = TypicalUser.key();
    user = TypicalUser.state();
  }

  @Benchmark
  public Verdict decideInWindow() {
    return policy.decide(campaign, key, user, TypicalUser.IN_WINDOW, null);
  }

  @Benchmark
  public Verdict decideOutsideWindowOtn() {
    return policy.decide(campaign, key, user, TypicalUser.OUTSIDE_WINDOW, null);
  }
}
