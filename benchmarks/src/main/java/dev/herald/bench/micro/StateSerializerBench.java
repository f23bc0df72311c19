package dev.herald.bench.micro;

import dev.herald.job.types.UserRecordSerializer;
import dev.herald.state.UserRecord;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-user state serializer ({@link UserRecordSerializer}) on a typical user's record, as
 * RocksDB's value state calls it on every read and write of a user: into a reused output buffer (as
 * Flink's backend does), and back from the bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StateSerializerBench {

  UserRecord record;
  byte[] bytes;
  DataOutputSerializer out;
  DataInputDeserializer in;

  @Setup
  public void setUp() throws IOException {
    record = TypicalUser.record();
    out = new DataOutputSerializer(256);
    UserRecordSerializer.INSTANCE.serialize(record, out);
    bytes = out.getCopyOfBuffer();
    in = new DataInputDeserializer();
  }

  @Benchmark
  public int serialize() throws IOException {
    out.clear();
    UserRecordSerializer.INSTANCE.serialize(record, out);
    return out.length();
  }

  @Benchmark
  public UserRecord deserialize() throws IOException {
    in.setBuffer(bytes);
    return UserRecordSerializer.INSTANCE.deserialize(in);
  }
}
