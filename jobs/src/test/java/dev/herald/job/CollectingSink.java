package dev.herald.job;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for tests on an embedded cluster: records land in a list the test reads while the job runs
 * (the cluster shares the test's JVM). Each instance has its own list.
 */
final class CollectingSink<T> implements Sink<T> {

  private static final long serialVersionUID = 1L;
  private static final Map<String, List<Object>> LISTS = new ConcurrentHashMap<>();

  private final String id;

  CollectingSink(String id) {
    this.id = id;
    LISTS.put(id, new CopyOnWriteArrayList<>());
  }

  /** What the sink has received so far. */
  @SuppressWarnings("unchecked")
  List<T> received() {
    return (List<T>) (List<?>) LISTS.get(id);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> list = LISTS.get(id);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        list.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
