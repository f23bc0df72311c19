package dev.herald.connectors.kafka.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * The local broker's data directory: {@code logs/} holds the topics, {@code metadata/} the cluster
 * metadata. Formatted once, as {@code kafka-storage format} does, then reused by every later start,
 * so that topics and records survive a restart.
 *
 * <p>The metadata has a directory of its own because Kafka locks a separate metadata directory
 * before it reads it; when both share one, a second broker started on the same data would repair
 * the running broker's metadata log before it found the topic data locked, and break it.
 */
final class Storage {

  private final Path dataDir;

  Storage(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  Path logDir() {
    return dataDir.resolve("logs");
  }

  Path metadataDir() {
    return dataDir.resolve("metadata");
  }

  /**
   * Claims the data directory for this broker until the lock is released, so that a second broker
   * on the same data fails at once, before it touches anything.
   *
   * @throws IllegalStateException if another broker, in this process or another, holds it
   */
  FileLock lock() throws IOException {
    Files.createDirectories(dataDir);
    FileChannel channel =
        FileChannel.open(
            dataDir.resolve("herald.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "another Kafka broker is using " + dataDir + "; stop it or choose another directory");
    }
    return lock;
  }

  /** Whether the directory already belongs to a cluster. */
  boolean isFormatted() {
    return Files.isRegularFile(metadataDir().resolve("meta.properties"));
  }

  /**
   * Formats the directories for a new single-node cluster with a random cluster id and the newest
   * production metadata version. The quorum is static (its voter comes from the configuration), so
   * no voter is written here.
   */
  void format() throws IOException {
    String metadata = metadataDir().toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(BrokerSettings.NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(BrokerSettings.CONTROLLER_LISTENER)
          .addDirectory(logDir().toString())
          .addDirectory(metadata)
          .setMetadataLogDirectory(metadata)
          .setHasDynamicQuorum(false)
          .run();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not format " + dataDir + ": " + e.getMessage(), e);
    }
  }
}
