package dev.herald.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code deploy/standalone/flink-cluster} as a user would, one command per call, against one
 * cluster folder. Standard output is the command's answer (a job id, a savepoint path); its
 * progress and errors (standard error) go to this JVM's standard error, so they show in the test
 * output.
 */
final class ClusterScript {

  private final Path script;
  private final Path dir;

  ClusterScript(Path script, Path dir) {
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException("not an executable script: " + script);
    }
    this.script = script;
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * Runs {@code flink-cluster COMMAND --dir DIR ARGS...} and returns its standard output, trimmed.
   *
   * @throws IllegalStateException if it fails or takes longer than {@code timeout}
   */
  String run(Duration timeout, String command, String... args) {
    List<String> line =
        new ArrayList<>(List.of(script.toString(), command, "--dir", dir.toString()));
    line.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(line)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "flink-cluster " + command + " did not finish within " + timeout.toSeconds() + " s");
      }
      String answer = out.join().trim();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "flink-cluster " + command + " failed (exit " + p.exitValue() + "): " + answer);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running flink-cluster " + command, e);
    }
  }

  /** The last lines of a cluster process's log, for a failure message. */
  String logTail(String process, int lines) {
    Path log = dir.resolve("log").resolve(process + ".log");
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no " + log + ")";
    }
  }

  /** A port nobody listens on now on 127.0.0.1. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
