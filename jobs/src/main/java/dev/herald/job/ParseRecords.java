package dev.herald.job;

import dev.herald.connectors.file.SourceLine;
import dev.herald.job.types.Types;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.Problem;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses raw input records into user events (main output) and campaign records (side output);
 * anything else goes to the dead letters with the codec's reason and where it was read. Never
 * fails: should the codec itself throw on a record (a defect), the record is dead-lettered with the
 * exception and counted as a defect, and the next record is read.
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
  private transient Counter defects;

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
    var stage = group.addGroup(Metrics.STAGE, "parse");
    deadLetters = new Metrics.Counters(stage, Metrics.DEAD_LETTERS);
    defects = stage.counter(Metrics.DEFECTS);
  }

  @Override
  public void processElement(SourceLine line, Context ctx, Collector<UserEvent> out) {
    recordsIn.inc();
    Parsed<? extends InputRecord> parsed;
    try {
      parsed = parse(line.bytes());
    } catch (RuntimeException e) {
      defects.inc();
      deadLetter(line, Metrics.defect("parsing", e), Problem.DEFECT, null, ctx);
      return;
    }
    if (parsed.isOk()) {
      InputRecord r = parsed.value();
      if (r instanceof UserEvent e) {
        out.collect(e);
      } else {
        // Accepted, hence UTF-8: the text as written goes with it, for a dead letter later.
        String raw = new String(line.bytes(), StandardCharsets.UTF_8);
        ctx.output(CONTROL, new ControlInput((ControlRecord) r, line.origin(), raw));
      }
      return;
    }
    deadLetter(line, parsed.reason(), parsed.problem(), parsed.at(), ctx);
  }

  private Parsed<? extends InputRecord> parse(byte[] bytes) {
    return switch (accepts) {
      case USER_EVENTS -> RecordCodec.parseUserEvent(bytes);
      case CAMPAIGNS -> RecordCodec.parseControl(bytes);
      case ANY -> RecordCodec.parse(bytes);
    };
  }

  private void deadLetter(
      SourceLine line, String reason, Problem problem, Instant at, Context ctx) {
    deadLetters.get(Metrics.PROBLEM, problem.name()).inc();
    if (at == null) {
      at = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
    }
    ctx.output(DEAD_LETTERS, DeadLetter.ofBytes(at, line.origin(), reason, line.bytes()));
  }
}
