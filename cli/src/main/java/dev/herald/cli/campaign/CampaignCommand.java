package dev.herald.cli.campaign;

import dev.herald.connectors.kafka.TopicNames;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code bin/herald campaign}: publish, cancel, estimate and follow campaigns on a running Herald
 * job's topics. Every command checks what it is given before it touches Kafka, and says why it did
 * nothing; the exit status tells a script what happened ({@link #EXIT_CODES}).
 */
public final class CampaignCommand {

  static final int OK = 0;
  static final int NOTHING_DONE = 1;
  static final int BAD_USAGE = 2;
  static final int KAFKA_UNREACHABLE = 3;

  static final String EXIT_CODES =
      "exit status: 0 done; 1 invalid input, nothing done (the reason is printed); 2 bad usage;\n"
          + "             3 Kafka unreachable (the record may not have been written)\n";

  static final String USAGE =
      "usage: bin/herald campaign COMMAND [ARGS] [flags]\n\n"
          + "commands:\n"
          + "  publish FILE.json   check a campaign, reminder, cancel or account record and publish it\n"
          + "  cancel ID           publish a cancel for campaign or reminder ID (now, or --at)\n"
          + "  estimate FILE.json  how many users the campaign would reach now, by outcome and\n"
          + "                      reason: a dry run, nothing sent, no token spent\n"
          + "  tail [ID]           decisions as they come; for a paced campaign a progress line\n\n"
          + "bin/herald campaign COMMAND --help: the command's flags.\n\n"
          + EXIT_CODES;

  private static final String SHARED_SERVERS = "bootstrap-servers";
  private static final String SHARED_CAMPAIGNS = "topic-campaigns";
  private static final String SHARED_DECISIONS = "topic-decisions";

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final AtomicBoolean stopping = new AtomicBoolean();

  CampaignCommand(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public static void main(String[] args) {
    CampaignCommand command =
        new CampaignCommand(
            new PrintStream(System.out, true, StandardCharsets.UTF_8),
            new PrintStream(System.err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    System.exit(command.run(args));
  }

  /** The flags every command shares, then its own. */
  static Options options(String usage, String about) {
    return new Options(usage, about)
        .value(SHARED_SERVERS, "localhost:9092", "Kafka bootstrap servers")
        .value(
            SHARED_CAMPAIGNS,
            TopicNames.CAMPAIGNS,
            "topic of campaign, reminder and cancel records")
        .value(SHARED_DECISIONS, TopicNames.DECISIONS, "topic of the job's decisions")
        .toggle("help", "print this help");
  }

  static final Options PUBLISH =
      options(
          "usage: bin/herald campaign publish FILE.json [flags]",
          "Reads FILE.json (one JSON object: a campaign, reminder, cancel or account record),\n"
              + "checks it as the job will, and publishes it to the campaigns topic keyed by its id\n"
              + "(an account record: channel/account). A record the job would reject is not\n"
              + "published: the reason is printed and the exit status is 1.");

  static final Options CANCEL =
      options(
              "usage: bin/herald campaign cancel ID [--at INSTANT] [flags]",
              "Publishes a cancel for the campaign or reminder ID: its decisions from the cancel's\n"
                  + "instant on are SKIP/CAMPAIGN_CANCELLED. The job dead-letters a cancel for an id\n"
                  + "it does not know at that instant.")
          .value(
              "at", "", "the cancel's instant (RFC 3339, e.g. 2026-05-03T11:00:00Z); default now");

  static final Options ESTIMATE =
      options(
              "usage: bin/herald campaign estimate FILE.json [flags]",
              "How many users the campaign in FILE.json would reach now, over the job's current\n"
                  + "state: SEND by basis and SKIP by reason. Publishes a dry-run copy (id\n"
                  + "<id>~estimate-<epoch ms>, starting now, no rate, \"dryRun\":true); the job decides\n"
                  + "it like the real one but sends nothing, spends no token and changes no state;\n"
                  + "its decisions on the decisions topic are marked \"dryRun\":true. Needs the job\n"
                  + "running (live mode).")
          .value("wait", "PT60S", "give up counting after this long (ISO-8601 duration)")
          .value(
              "quiet",
              "PT15S",
              "the count is done when no new decision came for this long after the first; keep it"
                  + " above the job's checkpoint interval (decisions appear at checkpoints)");

  static final Options TAIL =
      options(
              "usage: bin/herald campaign tail [ID] [flags]",
              "Prints decisions as they are committed (all campaigns, or campaign ID), one a line\n"
                  + "on stdout. For a campaign with a rate, a progress line on stderr: decided of\n"
                  + "audience, the rate seen and set, and an ETA from the rate; the audience comes\n"
                  + "from an estimate run when tail starts (a dry run, see estimate) or --audience.\n"
                  + "Stops on Ctrl-C, --max or --timeout.")
          .toggle("from-beginning", "print the decisions already in the topic too")
          .value("audience", "", "the audience size for the progress line (skips the estimate)")
          .value("max", "", "stop after printing this many decisions")
          .value("timeout", "", "stop after this long (ISO-8601 duration, e.g. PT10M)")
          .toggle("json", "print each decision's record as the job wrote it")
          .value("wait", "PT60S", "the estimate's deadline (see estimate --help)")
          .value("quiet", "PT15S", "the estimate's quiet period (see estimate --help)");

  /** Runs a command; returns the exit status. */
  int run(String[] args) {
    if (args.length == 0 || Arrays.asList("-h", "--help", "help").contains(args[0])) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? BAD_USAGE : OK;
    }
    String name = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Options options =
        switch (name) {
          case "publish" -> PUBLISH;
          case "cancel" -> CANCEL;
          case "estimate" -> ESTIMATE;
          case "tail" -> TAIL;
          default -> null;
        };
    if (options == null) {
      err.println("campaign: unknown command '" + name + "'");
      err.print(USAGE);
      return BAD_USAGE;
    }
    Options.Parsed flags;
    try {
      flags = options.parse(rest);
      if (flags.isSet("help")) {
        out.print(options.usage());
        return OK;
      }
      checkOperands(name, flags);
    } catch (IllegalArgumentException e) {
      err.println("campaign " + name + ": " + e.getMessage());
      err.print(options.usage());
      return BAD_USAGE;
    }
    try {
      return switch (name) {
        case "publish" -> publish(flags);
        case "cancel" -> cancel(flags);
        case "estimate" -> estimate(flags);
        default -> tail(flags);
      };
    } catch (KafkaUnreachableException e) {
      err.println("campaign " + name + ": " + e.getMessage());
      return KAFKA_UNREACHABLE;
    } catch (org.apache.kafka.common.KafkaException e) {
      err.println("campaign " + name + ": Kafka: " + e.getMessage());
      return KAFKA_UNREACHABLE;
    } catch (IllegalArgumentException e) {
      err.println("campaign " + name + ": " + e.getMessage());
      return NOTHING_DONE;
    }
  }

  /** Usage errors found before anything is read or sent: operands, numbers, durations. */
  private static void checkOperands(String name, Options.Parsed flags) {
    switch (name) {
      case "publish", "estimate" -> flags.operands(1, 1, "FILE.json");
      case "cancel" -> {
        flags.operands(1, 1, "ID");
        if (flags.given("at")) {
          flags.instant("at");
        }
      }
      default -> {
        flags.operands(0, 1, "at most one campaign ID");
        for (String n : new String[] {"audience", "max"}) {
          if (flags.given(n)) {
            flags.positive(n);
          }
        }
        if (flags.given("timeout")) {
          flags.duration("timeout");
        }
      }
    }
    if (name.equals("estimate") || name.equals("tail")) {
      flags.duration("wait");
      flags.duration("quiet");
    }
  }

  private CampaignClient client(Options.Parsed flags) {
    return new CampaignClient(
        flags.text(SHARED_SERVERS), flags.text(SHARED_CAMPAIGNS), flags.text(SHARED_DECISIONS));
  }

  private int publish(Options.Parsed flags) {
    String json = readFile(flags.operands().get(0));
    if (json == null) {
      return NOTHING_DONE;
    }
    // Checked before connecting: a bad file is reported even with Kafka down.
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(json);
    if (!parsed.isOk()) {
      err.println("campaign publish: not published: " + parsed.reason());
      return NOTHING_DONE;
    }
    try (CampaignClient client = client(flags)) {
      CampaignClient.Published p = client.publish(json);
      out.printf(
          "published %s %s to %s partition %d offset %d%n",
          parsed.value().type(), p.id(), flags.text(SHARED_CAMPAIGNS), p.partition(), p.offset());
      return OK;
    } catch (InvalidCampaignException e) {
      err.println("campaign publish: not published: " + e.getMessage());
      return NOTHING_DONE;
    }
  }

  private int cancel(Options.Parsed flags) {
    String id = flags.operands().get(0);
    Instant at = flags.given("at") ? flags.instant("at") : clock.instant();
    String record = CampaignClient.cancelRecord(id, at);
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(record);
    if (!parsed.isOk()) {
      err.println("campaign cancel: not published: " + parsed.reason());
      return NOTHING_DONE;
    }
    try (CampaignClient client = client(flags)) {
      CampaignClient.Published p = client.publish(record);
      out.printf(
          "published cancel of %s at %s to %s partition %d offset %d%n",
          p.id(),
          ((ControlRecord.Cancel) parsed.value()).at(),
          flags.text(SHARED_CAMPAIGNS),
          p.partition(),
          p.offset());
      return OK;
    } catch (InvalidCampaignException e) {
      err.println("campaign cancel: not published: " + e.getMessage());
      return NOTHING_DONE;
    }
  }

  private int estimate(Options.Parsed flags) {
    String json = readFile(flags.operands().get(0));
    if (json == null) {
      return NOTHING_DONE;
    }
    try {
      DryRunCopy.of(json, clock.instant()); // a bad file is reported before connecting
    } catch (InvalidCampaignException e) {
      err.println("campaign estimate: nothing estimated: " + e.getMessage());
      return NOTHING_DONE;
    }
    try (CampaignClient client = client(flags)) {
      err.println("estimating (a dry run: nothing is sent, no token spent)...");
      Estimator.Estimate e =
          new Estimator(client, clock).run(json, flags.duration("wait"), flags.duration("quiet"));
      out.println("estimate of " + e.copy().original().id() + " (dry run " + e.copy().id() + ")");
      out.print(e.tally().summary());
      if (e.hitDeadline()) {
        err.println(
            e.tally().total() == 0
                ? "no decision within --wait "
                    + flags.text("wait")
                    + ": nobody matches the audience, or the job is not running on these topics"
                : "stopped at --wait " + flags.text("wait") + ": decisions were still coming");
      }
      return OK;
    } catch (InvalidCampaignException e) {
      err.println("campaign estimate: nothing estimated: " + e.getMessage());
      return NOTHING_DONE;
    }
  }

  private int tail(Options.Parsed flags) {
    String id = flags.operands().isEmpty() ? null : flags.operands().get(0);
    long max = flags.given("max") ? flags.positive("max") : Long.MAX_VALUE;
    Instant until =
        flags.given("timeout") ? clock.instant().plus(flags.duration("timeout")) : Instant.MAX;
    String servers = flags.text(SHARED_SERVERS);
    String decisionsTopic = flags.text(SHARED_DECISIONS);
    Progress progress = id == null ? null : progressFor(id, flags);

    try (TopicReader decisions =
        new TopicReader(servers, decisionsTopic, CampaignClient.KAFKA_WAIT)) {
      Map<TopicPartition, Long> tailFrom = decisions.fromEnd().positions();
      boolean fromBeginning = flags.isSet("from-beginning");
      // A progress line counts the campaign's decisions from the first, printed or not.
      if (fromBeginning || progress != null) {
        decisions.fromBeginning();
      }
      Thread hook =
          new Thread(
              () -> {
                stopping.set(true);
                decisions.wakeup();
              });
      Runtime.getRuntime().addShutdownHook(hook);
      long printed = 0;
      try {
        while (printed < max && !stopping.get() && clock.instant().isBefore(until)) {
          for (TopicReader.Read r : decisions.poll(Duration.ofMillis(500))) {
            if (id != null && !id.equals(r.key())) {
              continue;
            }
            DecisionView d = DecisionView.read(r.value());
            if (d == null) {
              continue;
            }
            if (progress != null) {
              progress.decided(d, clock.instant());
            }
            boolean old =
                r.offset() < tailFrom.get(new TopicPartition(decisionsTopic, r.partition()));
            if ((fromBeginning || !old) && printed < max) {
              out.println(flags.isSet("json") ? r.value() : d.line());
              printed++;
            }
          }
          if (progress != null) {
            progress.show(clock.instant(), false);
          }
        }
      } finally {
        if (progress != null) {
          progress.show(clock.instant(), true);
        }
        if (!stopping.get()) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException e) {
            // already shutting down
          }
        }
      }
      return OK;
    }
  }

  /** The progress line of campaign {@code id}, or {@code null} if it has no rate. */
  private Progress progressFor(String id, Options.Parsed flags) {
    String record = findCampaign(id, flags);
    if (record == null) {
      err.println(
          "campaign tail: no campaign "
              + id
              + " in "
              + flags.text(SHARED_CAMPAIGNS)
              + " yet: printing its decisions without a progress line");
      return null;
    }
    ControlRecord.Campaign c = (ControlRecord.Campaign) RecordCodec.parseControl(record).value();
    if (c.rate() == null) {
      return null;
    }
    if (flags.given("audience")) {
      return new Progress(flags.positive("audience"), "--audience", c.rate());
    }
    try (CampaignClient client = client(flags)) {
      err.println("estimating the audience of " + id + " (a dry run: nothing is sent)...");
      Estimator.Estimate e =
          new Estimator(client, clock).run(record, flags.duration("wait"), flags.duration("quiet"));
      return new Progress(e.tally().total(), "estimate " + e.copy().id(), c.rate());
    } catch (InvalidCampaignException e) {
      err.println("campaign tail: no estimate (" + e.getMessage() + "): audience unknown");
      return new Progress(0, "nowhere", c.rate());
    }
  }

  /** The first valid campaign record with id {@code id} on the campaigns topic, as JSON. */
  private String findCampaign(String id, Options.Parsed flags) {
    try (TopicReader campaigns =
        new TopicReader(
                flags.text(SHARED_SERVERS), flags.text(SHARED_CAMPAIGNS), CampaignClient.KAFKA_WAIT)
            .fromBeginning()) {
      while (!campaigns.caughtUp()) {
        for (TopicReader.Read r : campaigns.poll(Duration.ofMillis(500))) {
          if (id.equals(r.key())) {
            Parsed<ControlRecord> p = RecordCodec.parseControl(r.value());
            if (p.isOk() && p.value() instanceof ControlRecord.Campaign c && c.id().equals(id)) {
              return r.value();
            }
          }
        }
      }
      return null;
    }
  }

  /** The progress of a paced campaign as {@code tail} shows it, on stderr. */
  private final class Progress {
    private final long audience;
    private final String source;
    private final double rate;
    private final Map<String, Boolean> users = new HashMap<>();
    private final boolean terminal = System.console() != null;
    private Instant firstSeen;
    private long seenSinceFirst;
    private String lastShown = "";
    private Instant lastShownAt = Instant.MIN;

    Progress(long audience, String source, double rate) {
      this.audience = audience;
      this.source = source;
      this.rate = rate;
    }

    void decided(DecisionView d, Instant now) {
      if (users.put(d.user(), Boolean.TRUE) == null) {
        if (firstSeen == null) {
          firstSeen = now;
        } else {
          seenSinceFirst++;
        }
      }
    }

    void show(Instant now, boolean last) {
      double seen = -1;
      if (firstSeen != null && now.isAfter(firstSeen.plusSeconds(1))) {
        seen = seenSinceFirst * 1000.0 / Duration.between(firstSeen, now).toMillis();
      }
      String line = ProgressLine.format(users.size(), audience, source, seen, rate);
      // A terminal gets one line redrawn in place; a file or pipe a line when it changes, at
      // most once a second.
      if (terminal) {
        err.print("\r" + line + (last ? "\n" : ""));
      } else if (last || (!line.equals(lastShown) && !now.isBefore(lastShownAt.plusSeconds(1)))) {
        err.println(line);
        lastShown = line;
        lastShownAt = now;
      }
    }
  }

  /** The file's text; {@code null} after saying why it cannot be read. */
  private String readFile(String name) {
    Path file = Path.of(name);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("campaign: cannot read " + file + ": " + e.getMessage());
      return null;
    }
  }
}
