package dev.herald.connectors.channel;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the sink finds its {@link Credentials}, read when the sink opens on the task manager.
 *
 * <p>A {@link #file} or the {@link #environment} is read there, in {@code open()}, so the tokens
 * never enter the job graph; the file (or the variable) must then be present on every task manager.
 * {@link #inline} carries the credentials in the job graph itself, as Flink ships the function:
 * simple for tests and a single machine, but anyone who can read the job's configuration can read
 * them.
 */
public abstract sealed class CredentialsSource implements Serializable {

  private static final long serialVersionUID = 1L;

  private CredentialsSource() {}

  /** Reads the credentials; called in the sink's {@code open()}. */
  public abstract Credentials load();

  /** The file {@code path} on the task manager, read when the sink opens. */
  public static CredentialsSource file(Path path) {
    return new FromFile(path.toString());
  }

  /** The task manager's variable {@value Credentials#ENVIRONMENT_VARIABLE}. */
  public static CredentialsSource environment() {
    return new FromEnvironment();
  }

  /** These credentials, carried in the job graph. */
  public static CredentialsSource inline(Credentials credentials) {
    return new Inline(credentials);
  }

  /** The job's flag {@code --credentials-file}: the file when given, else the environment. */
  public static CredentialsSource fromFlag(String credentialsFile) {
    return credentialsFile == null || credentialsFile.isBlank()
        ? environment()
        : file(Path.of(credentialsFile));
  }

  private static final class FromFile extends CredentialsSource {
    private static final long serialVersionUID = 1L;
    private final String path; // a String: Path is not Serializable

    FromFile(String path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public Credentials load() {
      return Credentials.fromFile(Path.of(path));
    }

    @Override
    public String toString() {
      return "credentials file " + path;
    }
  }

  private static final class FromEnvironment extends CredentialsSource {
    private static final long serialVersionUID = 1L;

    @Override
    public Credentials load() {
      return Credentials.fromEnvironment(System.getenv());
    }

    @Override
    public String toString() {
      return "$" + Credentials.ENVIRONMENT_VARIABLE;
    }
  }

  private static final class Inline extends CredentialsSource {
    private static final long serialVersionUID = 1L;
    private final Credentials credentials;

    Inline(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public Credentials load() {
      return credentials;
    }

    @Override
    public String toString() {
      return "inline " + credentials;
    }
  }
}
