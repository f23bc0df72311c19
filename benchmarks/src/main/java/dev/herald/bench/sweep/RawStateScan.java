package dev.herald.bench.sweep;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The limit of a sweep: one RocksDB iterator over the column family of one keyed state, reading
 * every entry's key and value bytes and nothing else — no deserialization, no operator, no write. A
 * sweep does this plus, per user, a decode, the core's step, a record write and a timer.
 *
 * <p>Flink does not expose the database of its RocksDB backend; the backend's {@code db} field and
 * its per-state column family handle are read by reflection. The iterator uses the backend's own
 * read options, as Flink's key iteration does.
 */
public final class RawStateScan {

  /** What a scan read: entries, and key and value bytes. */
  public record Result(long entries, long keyBytes, long valueBytes) {}

  private RawStateScan() {}

  /** Iterates the column family of {@code state} in {@code backend} once, start to end. */
  public static Result scan(KeyedStateBackend<?> backend, String state) throws Exception {
    if (!(backend instanceof RocksDBKeyedStateBackend<?> rocks)) {
      throw new IllegalArgumentException(
          "the keyed state backend is a "
              + backend.getClass().getName()
              + ", not RocksDB: the raw scan needs the embedded RocksDB backend");
    }
    Field dbField = RocksDBKeyedStateBackend.class.getDeclaredField("db");
    dbField.setAccessible(true);
    RocksDB db = (RocksDB) dbField.get(rocks);
    Method handleOf =
        RocksDBKeyedStateBackend.class.getDeclaredMethod("getColumnFamilyHandle", String.class);
    handleOf.setAccessible(true);
    ColumnFamilyHandle handle = (ColumnFamilyHandle) handleOf.invoke(rocks, state);
    if (handle == null) {
      throw new IllegalArgumentException("no state named " + state + " in the backend");
    }
    long entries = 0;
    long keyBytes = 0;
    long valueBytes = 0;
    try (RocksIterator it = db.newIterator(handle, rocks.getReadOptions())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        keyBytes += it.key().length;
        valueBytes += it.value().length;
        entries++;
      }
      it.status();
    }
    return new Result(entries, keyBytes, valueBytes);
  }
}
