package dev.herald.cli.campaign;

import dev.herald.connectors.kafka.CommandFlags;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one campaign command: its positional operands (a file, a campaign id) and its
 * flags, each flag declared once with its default and description so that parsing and {@code
 * --help} come from the same list. Parsing is {@link CommandFlags}' (operands before or after the
 * flags, {@code --} ends them); this adds the command's usage text and the values the campaign
 * commands read (durations, instants). Anything wrong fails with an {@link
 * IllegalArgumentException} naming the flag or operand: a usage error, exit status 2.
 */
final class Options {

  /** One flag, for the usage text; a switch has a {@code null} default and takes no value. */
  private record Flag(String name, String defaultValue, String description) {
    boolean isSwitch() {
      return defaultValue == null;
    }
  }

  private final String usageLine;
  private final String about;
  private final List<Flag> flags = new ArrayList<>();
  private final CommandFlags parser;

  /**
   * @param usageLine e.g. {@code usage: bin/herald campaign publish FILE.json [flags]}
   * @param about what the command does, a few lines
   */
  Options(String usageLine, String about) {
    this.usageLine = usageLine;
    this.about = about;
    this.parser = new CommandFlags(usageLine).withOperands();
  }

  /** Declares a flag that takes a value ({@code ""}: none unless given). */
  Options value(String name, String defaultValue, String description) {
    flags.add(new Flag(name, defaultValue, description));
    parser.value(name, defaultValue, description);
    return this;
  }

  /** Declares a switch, false unless given. */
  Options toggle(String name, String description) {
    flags.add(new Flag(name, null, description));
    parser.toggle(name, description);
    return this;
  }

  /** Reads the arguments (those after the command's name). */
  Parsed parse(String[] args) {
    return new Parsed(parser.parse(args));
  }

  /** The usage line, what the command does, every flag with its default, and the exit codes. */
  String usage() {
    StringBuilder b =
        new StringBuilder(usageLine).append("\n\n").append(about).append("\n\nflags:\n");
    for (Flag f : flags) {
      b.append("  --").append(f.name());
      if (!f.isSwitch()) {
        b.append(f.defaultValue().isEmpty() ? " VALUE" : " (default: " + f.defaultValue() + ")");
      }
      b.append("\n      ").append(f.description()).append('\n');
    }
    return b.append('\n').append(CampaignCommand.EXIT_CODES).toString();
  }

  /** The values read, defaults filled in, and the operands in order. */
  static final class Parsed {
    private final CommandFlags.Parsed flags;

    private Parsed(CommandFlags.Parsed flags) {
      this.flags = flags;
    }

    List<String> operands() {
      return flags.operands();
    }

    /**
     * The operands, checked to be between {@code min} and {@code max} in number; {@code names}
     * names them for the message.
     */
    List<String> operands(int min, int max, String names) {
      return flags.operands(min, max, names);
    }

    /** The flag's value, trimmed; fails naming the flag if it is empty. */
    String text(String name) {
      return flags.text(name);
    }

    /** Whether a flag with no default was given. */
    boolean given(String name) {
      return flags.given(name);
    }

    boolean isSet(String name) {
      return flags.isSet(name);
    }

    /** A positive whole number. */
    long positive(String name) {
      String v = text(name);
      try {
        long n = Long.parseLong(v);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a positive number");
    }

    /** An ISO-8601 duration ({@code PT60S}), positive. */
    Duration duration(String name) {
      String v = text(name);
      try {
        Duration d = Duration.parse(v);
        if (!d.isNegative() && !d.isZero()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "--" + name + ": '" + v + "' is not a positive ISO-8601 duration such as PT60S");
    }

    /** An RFC 3339 instant ({@code 2026-05-03T11:00:00Z}). */
    Instant instant(String name) {
      String v = text(name);
      try {
        return java.time.OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--" + name + ": '" + v + "' is not an instant such as 2026-05-03T11:00:00Z");
      }
    }
  }
}
