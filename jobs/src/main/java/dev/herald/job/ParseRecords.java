package dev.herald.job;

import dev.herald.connectors.file.SourceLine;
import dev.herald.job.types.Types;
import dev.herald.replay.ScenarioInput;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.time.Instant;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses input lines into user events (main output) and campaign records (side output); anything
 * else goes to the dead letters with the codec's reason and where it was read. Never fails.
 */
public final class ParseRecords extends ProcessFunction<SourceLine, UserEvent> {

  private static final long serialVersionUID = 1L;

  /** Which records an input may carry. */
  public enum Accepts {
    /** The {@code user-events} topic. */
    USER_EVENTS,
    /** The {@code campaigns} topic. */
    CAMPAIGNS,
    /** A replay file: both. */
    ANY
  }

  public static final OutputTag<ControlInput> CONTROL = new OutputTag<>("control", Types.CONTROL);

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("parse-dead-letters", Types.DEAD_LETTER);

  private final Accepts accepts;
  private final String input;
  private transient Counter recordsIn;
  private transient Metrics.Counters deadLetters;

  /**
   * @param accepts which records this input may carry
   * @param input the input's name, for metrics
   */
  public ParseRecords(Accepts accepts, String input) {
    this.accepts = accepts;
    this.input = input;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    var group = getRuntimeContext().getMetricGroup().addGroup(Metrics.INPUT, input);
    recordsIn = group.counter(Metrics.RECORDS_IN);
    deadLetters =
        new Metrics.Counters(group.addGroup(Metrics.STAGE, "parse"), Metrics.DEAD_LETTERS);
  }

  @Override
  public void processElement(SourceLine line, Context ctx, Collector<UserEvent> out) {
    recordsIn.inc();
    Parsed<? extends InputRecord> parsed =
        switch (accepts) {
          case USER_EVENTS -> RecordCodec.parseUserEvent(line.text());
          case CAMPAIGNS -> RecordCodec.parseControl(line.text());
          case ANY -> RecordCodec.parse(line.text());
        };
    if (parsed.isOk()) {
      InputRecord r = parsed.value();
      if (r instanceof UserEvent e) {
        out.collect(e);
      } else {
        ctx.output(CONTROL, new ControlInput((ControlRecord) r, line.origin(), line.text()));
      }
      return;
    }
    deadLetters.get(Metrics.PROBLEM, parsed.problem().name()).inc();
    Instant at = ScenarioInput.atOf(line.text());
    if (at == null) {
      at = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
    }
    ctx.output(DEAD_LETTERS, DeadLetter.of(at, line.origin(), parsed.reason(), line.text()));
  }
}
