package dev.herald.bench.job;

import dev.herald.connectors.kafka.CommandFlags;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The flags every job benchmark shares (where the rig runs, how many runs), and the main's frame:
 * {@code --help}, a bad flag's message, exit codes.
 */
final class RigFlags {

  private RigFlags() {}

  /** A bench's work: what it does with its parsed flags; the FIGURE lines go to {@code out}. */
  @FunctionalInterface
  interface Bench {
    void run(CommandFlags.Parsed flags, PrintStream out) throws Exception;
  }

  /** Declares the shared flags on {@code flags}. */
  static CommandFlags common(CommandFlags flags, int runs) {
    return flags
        .value("runs", Integer.toString(runs), "measured runs; the figure is their median")
        .value(
            "bootstrap-servers",
            "",
            "a running Kafka to use; empty: the rig starts its own broker in the work directory")
        .value(
            "work-dir",
            "",
            "where the broker's data and the checkpoints go; empty: a temporary directory,"
                + " deleted at the end")
        .toggle("help", "this text");
  }

  /**
   * A bench's {@code main}: runs it and exits with {@link #run}'s code (exiting also ends Kafka's
   * and Flink's threads that outlive their close).
   */
  static void main(CommandFlags flags, String[] args, Bench bench) {
    System.exit(run(flags, args, System.out, bench));
  }

  /**
   * Parses {@code args}, prints the usage for {@code --help}, and runs the bench.
   *
   * @return the exit code: 0 done, 2 a bad flag (the message and the usage on stderr), 1 a failure
   */
  static int run(CommandFlags flags, String[] args, PrintStream out, Bench bench) {
    CommandFlags.Parsed parsed;
    try {
      parsed = flags.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(flags.usage());
      return 2;
    }
    if (parsed.isSet("help")) {
      out.print(flags.usage());
      return 0;
    }
    try {
      bench.run(parsed, out);
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      e.printStackTrace();
      return 1;
    }
  }

  /** The rig of these flags; its work directory is deleted on close if it was temporary. */
  static JobRig rig(CommandFlags.Parsed flags) throws Exception {
    Path dir;
    boolean temporary = !flags.given("work-dir");
    if (temporary) {
      dir = Files.createTempDirectory("herald-bench-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
    } else {
      dir = Path.of(flags.text("work-dir"));
    }
    return JobRig.start(
        dir, flags.given("bootstrap-servers") ? flags.text("bootstrap-servers") : null);
  }

  /** Progress for the human watching, on stderr. */
  static void progress(String format, Object... args) {
    System.err.printf(java.util.Locale.ROOT, format + "%n", args);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
