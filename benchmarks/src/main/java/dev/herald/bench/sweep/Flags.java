package dev.herald.bench.sweep;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;

/**
 * The flags of a bench main: {@code --name value} or {@code --name=value}, each declared once with
 * its default and description, so that {@code --help} lists exactly what is parsed. Counts take
 * {@code k} and {@code M} suffixes ({@code --users 10M}).
 */
public final class Flags {

  private record Flag(String defaultValue, String description) {}

  private final String usage;
  private final Map<String, Flag> declared = new LinkedHashMap<>();
  private final Map<String, String> given = new HashMap<>();

  /**
   * @param usage the first lines of {@code --help}: the command and what it measures
   */
  public Flags(String usage) {
    this.usage = usage;
  }

  /** Declares {@code --name}, with its default ({@code null}: none) and what it sets. */
  public Flags declare(String name, String defaultValue, String description) {
    declared.put(name, new Flag(defaultValue, description));
    return this;
  }

  /**
   * Reads {@code args}. On {@code --help} prints the usage and exits 0; on an unknown flag or a
   * missing value prints why and the usage to stderr and exits 2.
   */
  public Flags parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        printUsage(System.out);
        System.exit(0);
      }
      if (!a.startsWith("--")) {
        fail("unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!declared.containsKey(name)) {
        fail("unknown flag --" + name);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          fail("--" + name + " needs a value");
        }
        value = args[++i];
      }
      given.put(name, value);
    }
    return this;
  }

  public String string(String name) {
    if (!declared.containsKey(name)) {
      throw new IllegalArgumentException("undeclared flag --" + name);
    }
    return given.getOrDefault(name, declared.get(name).defaultValue());
  }

  /** A count: digits, underscores allowed, with an optional {@code k} or {@code M}. */
  public long count(String name) {
    String v = string(name);
    try {
      return parseCount(v);
    } catch (NumberFormatException e) {
      fail("--" + name + ": not a count: '" + v + "' (e.g. 1000000, 1M, 500k)");
      return 0;
    }
  }

  /** A count that must lie in {@code [min, max]}. */
  public int count(String name, int min, int max) {
    long v = count(name);
    if (v < min || v > max) {
      fail("--" + name + ": must be between " + min + " and " + max + ", was " + v);
    }
    return (int) v;
  }

  public double number(String name) {
    String v = string(name);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      fail("--" + name + ": not a number: '" + v + "'");
      return 0;
    }
  }

  public MemorySize memory(String name) {
    String v = string(name);
    try {
      return MemorySize.parse(v);
    } catch (IllegalArgumentException e) {
      fail("--" + name + ": not a size: '" + v + "' (e.g. 512mb, 2gb)");
      return null;
    }
  }

  static long parseCount(String v) {
    String s = v.replace("_", "").trim();
    long unit = 1;
    if (s.endsWith("k") || s.endsWith("K")) {
      unit = 1_000;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("M") || s.endsWith("m")) {
      unit = 1_000_000;
      s = s.substring(0, s.length() - 1);
    }
    return Math.multiplyExact(Long.parseLong(s), unit);
  }

  private void fail(String why) {
    System.err.println("bench: " + why);
    printUsage(System.err);
    System.exit(2);
  }

  private void printUsage(PrintStream out) {
    out.println(usage);
    out.println("Flags:");
    declared.forEach(
        (name, f) ->
            out.println(
                String.format(
                    Locale.ROOT,
                    "  --%-18s %s%s",
                    name + " " + name.toUpperCase(Locale.ROOT).replace('-', '_'),
                    f.description(),
                    f.defaultValue() == null ? "" : " (default " + f.defaultValue() + ")")));
  }
}
