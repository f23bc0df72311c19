package dev.herald.connectors.channel;

import dev.herald.schema.Channel;
import dev.herald.schema.WireEnum;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The access tokens of the accounts the sink sends for, keyed {@code channel/account} (for example
 * {@code whatsapp/1234567890}): a page access token for Messenger and Instagram, a system-user
 * token for a WhatsApp business phone number.
 *
 * <p>The text form, in a file ({@code --credentials-file FILE}) or in the environment variable
 * {@value #ENVIRONMENT_VARIABLE}, is one {@code channel/account=TOKEN} a line; blank lines and
 * lines starting with {@code #} are skipped. A bad line fails with its line number and what is
 * wrong, never with its text, since the text may be a token pasted in the wrong place.
 *
 * <p>Serializable because Flink ships the sink function, and whatever it holds, to the task
 * managers. Credentials built here and handed to the function travel inside the job graph (the
 * operator's configuration): whoever can read the job graph can read them. {@link
 * CredentialsSource#file} and {@link CredentialsSource#environment} avoid that by reading the
 * tokens on the task manager, in the function's {@code open()}.
 */
public final class Credentials implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The environment variable that may hold the credentials, in the file's format. */
  public static final String ENVIRONMENT_VARIABLE = "HERALD_CREDENTIALS";

  private final HashMap<String, Secret> tokens;

  private Credentials(HashMap<String, Secret> tokens) {
    this.tokens = tokens;
  }

  /** No credentials at all: every send fails with "no credentials for …". */
  public static Credentials none() {
    return new Credentials(new HashMap<>());
  }

  /** Credentials from {@code channel/account} keys to tokens (for tests and embedding). */
  public static Credentials of(Map<String, Secret> tokens) {
    HashMap<String, Secret> copy = new HashMap<>();
    tokens.forEach(
        (key, token) -> {
          String problem = keyProblem(key);
          if (problem != null) {
            throw new IllegalArgumentException(problem);
          }
          copy.put(key, token);
        });
    return new Credentials(copy);
  }

  /**
   * Reads the text form (see the class comment). {@code source} names where the text came from (a
   * file, the environment variable) in error messages.
   *
   * @throws IllegalArgumentException on the first bad line, naming its number
   */
  public static Credentials parse(String text, String source) {
    HashMap<String, Secret> tokens = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw bad(source, number, "expected channel/account=TOKEN");
      }
      String key = line.substring(0, eq).strip();
      String token = line.substring(eq + 1).strip();
      String problem = keyProblem(key);
      if (problem != null) {
        throw bad(source, number, problem);
      }
      if (token.isEmpty()) {
        throw bad(source, number, "no token after '=' for " + key);
      }
      Integer first = lineOf.putIfAbsent(key, number);
      if (first != null) {
        throw bad(source, number, key + " is given twice (first on line " + first + ")");
      }
      tokens.put(key, Secret.of(token));
    }
    return new Credentials(tokens);
  }

  /** Reads a credentials file (UTF-8). */
  public static Credentials fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // The exception names the file and the cause; a file's content never reaches it.
      throw new UncheckedIOException("cannot read the credentials file " + file, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads the variable {@value #ENVIRONMENT_VARIABLE} of {@code environment} (normally {@link
   * System#getenv()}); no such variable means no credentials.
   */
  public static Credentials fromEnvironment(Map<String, String> environment) {
    String text = environment.get(ENVIRONMENT_VARIABLE);
    return text == null ? none() : parse(text, "$" + ENVIRONMENT_VARIABLE);
  }

  /** The token of {@code account} on {@code channel}, if there is one. */
  public Optional<Secret> tokenFor(Channel channel, String account) {
    return Optional.ofNullable(tokens.get(key(channel, account)));
  }

  /** The {@code channel/account} keys that have a token. */
  public java.util.Set<String> accounts() {
    return Collections.unmodifiableSet(new TreeSet<>(tokens.keySet()));
  }

  /** The key of an account: {@code channel/account}. */
  public static String key(Channel channel, String account) {
    return channel.wire() + "/" + account;
  }

  /** Names the accounts, never a token. */
  @Override
  public String toString() {
    return "Credentials" + accounts();
  }

  private static String keyProblem(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return "expected channel/account before '='";
    }
    String channel = key.substring(0, slash);
    String account = key.substring(slash + 1);
    if (WireEnum.fromWire(Channel.class, channel) == null) {
      // The text is not echoed: a token pasted on the wrong side of '=' must not reach a log.
      return "the channel before '/' must be one of " + WireEnum.spellings(Channel.class);
    }
    if (account.isEmpty() || account.chars().anyMatch(Character::isWhitespace)) {
      return "expected an account id after '" + channel + "/'";
    }
    return null;
  }

  private static IllegalArgumentException bad(String source, int line, String problem) {
    return new IllegalArgumentException(
        "credentials " + source + ", line " + line + ": " + problem);
  }
}
