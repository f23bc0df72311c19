package dev.herald.cli.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one campaign command: its positional operands (a file, a campaign id) and its
 * flags, each flag declared once with its default and description so that parsing and {@code
 * --help} come from the same list. Flags are {@code --name value} or {@code --name=value}, before
 * or after the operands; a switch ({@code --help}) takes no value. Anything wrong fails with an
 * {@link IllegalArgumentException} naming the flag or operand: a usage error, exit status 2.
 */
final class Options {

  /** One flag; a switch has a {@code null} default and takes no value. */
  private record Flag(String name, String defaultValue, String description) {
    boolean isSwitch() {
      return defaultValue == null;
    }
  }

  private final String usageLine;
  private final String about;
  private final List<Flag> flags = new ArrayList<>();

  /**
   * @param usageLine e.g. {@code usage: bin/herald campaign publish FILE.json [flags]}
   * @param about what the command does, a few lines
   */
  Options(String usageLine, String about) {
    this.usageLine = usageLine;
    this.about = about;
  }

  /** Declares a flag that takes a value ({@code ""}: none unless given). */
  Options value(String name, String defaultValue, String description) {
    flags.add(new Flag(name, defaultValue, description));
    return this;
  }

  /** Declares a switch, false unless given. */
  Options toggle(String name, String description) {
    flags.add(new Flag(name, null, description));
    return this;
  }

  /** Reads the arguments (those after the command's name). */
  Parsed parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Flag f : flags) {
      values.put(f.name(), f.isSwitch() ? "false" : f.defaultValue());
    }
    List<String> operands = new ArrayList<>();
    boolean onlyOperands = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (onlyOperands || !arg.startsWith("--")) {
        operands.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyOperands = true;
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Flag flag = find(name);
      if (flag.isSwitch()) {
        if (value != null) {
          throw new IllegalArgumentException("--" + name + " takes no value");
        }
        value = "true";
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      values.put(name, value);
    }
    return new Parsed(values, operands);
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

  private Flag find(String name) {
    for (Flag f : flags) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown flag --" + name);
  }

  /** The values read, defaults filled in, and the operands in order. */
  static final class Parsed {
    private final Map<String, String> values;
    private final List<String> operands;

    private Parsed(Map<String, String> values, List<String> operands) {
      this.values = values;
      this.operands = List.copyOf(operands);
    }

    List<String> operands() {
      return operands;
    }

    /**
     * The operands, checked to be between {@code min} and {@code max} in number; {@code names}
     * names them for the message.
     */
    List<String> operands(int min, int max, String names) {
      if (operands.size() < min) {
        throw new IllegalArgumentException("missing " + names);
      }
      if (operands.size() > max) {
        throw new IllegalArgumentException(
            "unexpected argument '" + operands.get(max) + "' (expected " + names + ")");
      }
      return operands;
    }

    /** The flag's value, trimmed; fails naming the flag if it is empty. */
    String text(String name) {
      String v = raw(name).trim();
      if (v.isEmpty()) {
        throw new IllegalArgumentException("--" + name + " must not be empty");
      }
      return v;
    }

    /** Whether a flag with no default was given. */
    boolean given(String name) {
      return !raw(name).isEmpty();
    }

    boolean isSet(String name) {
      return Boolean.parseBoolean(raw(name));
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

    private String raw(String name) {
      String v = values.get(name);
      if (v == null) {
        throw new IllegalStateException("flag --" + name + " was never declared");
      }
      return v;
    }
  }
}
