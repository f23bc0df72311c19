package dev.herald.connectors.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of a small command-line tool, each declared once with its default and description, so
 * that parsing and the usage text come from the same list. Flags are {@code --name value} or {@code
 * --name=value}; a switch ({@code --help}) takes no value. A bad flag fails with a message naming
 * it. A tool that takes operands (a file, an id) says so with {@link #withOperands}: they may stand
 * before, between or after the flags, and {@code --} ends the flags.
 */
public final class CommandFlags {

  /** One flag; a switch has a {@code null} default and takes no value. */
  private record Flag(String name, String defaultValue, String description) {
    boolean isSwitch() {
      return defaultValue == null;
    }
  }

  private final String usageLine;
  private final List<Flag> flags = new ArrayList<>();
  private boolean operands;

  /**
   * @param usageLine the first line of the usage text, e.g. {@code usage: bin/kafka topics [flags]}
   */
  public CommandFlags(String usageLine) {
    this.usageLine = usageLine;
  }

  /** Declares a flag that takes a value. */
  public CommandFlags value(String name, String defaultValue, String description) {
    flags.add(new Flag(name, defaultValue, description));
    return this;
  }

  /** Declares a flag without a value, false unless given. */
  public CommandFlags toggle(String name, String description) {
    flags.add(new Flag(name, null, description));
    return this;
  }

  /** Accepts operands beside the flags ({@link Parsed#operands}); without it, none is. */
  public CommandFlags withOperands() {
    this.operands = true;
    return this;
  }

  /**
   * Reads the arguments.
   *
   * @throws IllegalArgumentException naming the flag, if one is unknown or lacks its value
   */
  public Parsed parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Flag f : flags) {
      values.put(f.name(), f.isSwitch() ? "false" : f.defaultValue());
    }
    List<String> given = new ArrayList<>();
    boolean onlyOperands = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (operands && (onlyOperands || !arg.startsWith("--"))) {
        given.add(arg);
        continue;
      }
      if (operands && arg.equals("--")) {
        onlyOperands = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected a flag (--name value), got '" + arg + "'");
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
    return new Parsed(values, given);
  }

  /** The usage line and every flag with its default and description. */
  public String usage() {
    StringBuilder b = new StringBuilder(usageLine).append("\nflags:\n");
    for (Flag f : flags) {
      b.append("  --").append(f.name());
      if (!f.isSwitch()) {
        b.append(" (default: ").append(f.defaultValue()).append(')');
      }
      b.append("\n      ").append(f.description()).append('\n');
    }
    return b.toString();
  }

  private Flag find(String name) {
    for (Flag f : flags) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown flag --" + name);
  }

  /** The values read from the arguments, defaults filled in, and the operands in order. */
  public static final class Parsed {
    private final Map<String, String> values;
    private final List<String> operands;

    private Parsed(Map<String, String> values, List<String> operands) {
      this.values = values;
      this.operands = List.copyOf(operands);
    }

    /** The operands, in order. */
    public List<String> operands() {
      return operands;
    }

    /**
     * The operands, checked to be between {@code min} and {@code max} in number; {@code names}
     * names them for the message.
     */
    public List<String> operands(int min, int max, String names) {
      if (operands.size() < min) {
        throw new IllegalArgumentException("missing " + names);
      }
      if (operands.size() > max) {
        throw new IllegalArgumentException(
            "unexpected argument '" + operands.get(max) + "' (expected " + names + ")");
      }
      return operands;
    }

    /** Whether a flag whose default is empty was given a value. */
    public boolean given(String name) {
      return !raw(name).isEmpty();
    }

    /** The flag's value, trimmed; fails naming the flag if it is empty. */
    public String text(String name) {
      String v = raw(name).trim();
      if (v.isEmpty()) {
        throw new IllegalArgumentException("--" + name + " must not be empty");
      }
      return v;
    }

    /** Whether a switch was given. */
    public boolean isSet(String name) {
      return Boolean.parseBoolean(raw(name));
    }

    /** The flag's value as a whole number within {@code [min, max]}; fails naming the flag. */
    public int number(String name, int min, int max) {
      String v = text(name);
      int n;
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a whole number");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            "--" + name + ": must be from " + min + " to " + max + ", got " + n);
      }
      return n;
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
