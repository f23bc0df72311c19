package dev.herald.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Wire;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one subtask of the decision operator stood at a checkpoint, as the operator state {@code
 * sweep-progress} holds it (one entry per subtask, every subtask reads all of them on restore): its
 * key groups, its event time, and the sweep under way if any — its instant, campaigns, reminders,
 * the slots given so far, and which key groups are walked.
 *
 * <p>The walk visits keys in the order RocksDB holds them: by key group, then by the bytes of the
 * serialized key (a self-delimiting encoding, so byte order is the store's order). A key group is
 * then either done, walked up to and including a key ({@link #partial}), or still to walk.
 *
 * <p>Stored as a JSON object with a {@code format}, so that a later form can still read it.
 */
final class SweepProgress {

  static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The slots a campaign had given: how many users it took and the last instant. */
  record Slots(long taken, Instant last) {}

  /** The sweep under way: what {@code Sequencer.Sweep} holds, by campaign id. */
  record Walk(
      Instant at,
      List<String> campaigns,
      boolean reminders,
      int parallelism,
      Map<String, Slots> slots,
      BitSet done,
      Map<Integer, byte[]> partial) {

    /** How far key group {@code kg} is walked. */
    KeyGroupState state(int kg) {
      if (done.get(kg)) {
        return KeyGroupState.DONE;
      }
      return partial.containsKey(kg) ? KeyGroupState.PARTIAL : KeyGroupState.TO_WALK;
    }
  }

  enum KeyGroupState {
    DONE,
    PARTIAL,
    TO_WALK
  }

  final int kgStart;
  final int kgEnd;

  /** The subtask's event time ({@code Long.MIN_VALUE} before its first watermark). */
  final long eventTime;

  /** The sweep under way, or {@code null}. */
  final Walk walk;

  SweepProgress(int kgStart, int kgEnd, long eventTime, Walk walk) {
    this.kgStart = kgStart;
    this.kgEnd = kgEnd;
    this.eventTime = eventTime;
    this.walk = walk;
  }

  boolean covers(int kg) {
    return kg >= kgStart && kg <= kgEnd;
  }

  String write() {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("kgStart", kgStart);
    n.put("kgEnd", kgEnd);
    n.put("eventTime", eventTime);
    if (walk != null) {
      ObjectNode w = n.putObject("sweep");
      w.put("at", Wire.format(walk.at()));
      var ids = w.putArray("campaigns");
      walk.campaigns().forEach(ids::add);
      w.put("reminders", walk.reminders());
      w.put("parallelism", walk.parallelism());
      ObjectNode slots = w.putObject("slots");
      new TreeMap<>(walk.slots())
          .forEach(
              (id, s) -> {
                ObjectNode o = slots.putObject(id);
                o.put("taken", s.taken());
                if (s.last() != null) {
                  o.put("last", Wire.format(s.last()));
                }
              });
      var done = w.putArray("done");
      walk.done().stream().forEach(done::add);
      ObjectNode partial = w.putObject("partial");
      new TreeMap<>(walk.partial())
          .forEach(
              (kg, key) ->
                  partial.put(Integer.toString(kg), Base64.getEncoder().encodeToString(key)));
    }
    return n.toString();
  }

  static SweepProgress read(String s) {
    JsonNode n;
    try {
      n = JSON.readTree(s);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("sweep progress is not JSON: " + e.getMessage(), e);
    }
    int format = n.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new IllegalStateException(
          "sweep progress in format " + format + ", this version reads format " + FORMAT);
    }
    Walk walk = null;
    JsonNode w = n.get("sweep");
    if (w != null) {
      List<String> ids = new ArrayList<>();
      w.get("campaigns").forEach(id -> ids.add(id.asText()));
      Map<String, Slots> slots = new LinkedHashMap<>();
      w.get("slots")
          .fields()
          .forEachRemaining(
              e ->
                  slots.put(
                      e.getKey(),
                      new Slots(
                          e.getValue().get("taken").asLong(),
                          e.getValue().has("last")
                              ? Instant.parse(e.getValue().get("last").asText())
                              : null)));
      BitSet done = new BitSet();
      w.get("done").forEach(kg -> done.set(kg.asInt()));
      Map<Integer, byte[]> partial = new HashMap<>();
      w.get("partial")
          .fields()
          .forEachRemaining(
              e ->
                  partial.put(
                      Integer.parseInt(e.getKey()),
                      Base64.getDecoder().decode(e.getValue().asText())));
      walk =
          new Walk(
              Instant.parse(w.get("at").asText()),
              ids,
              w.get("reminders").asBoolean(),
              w.get("parallelism").asInt(),
              slots,
              done,
              partial);
    }
    return new SweepProgress(
        n.get("kgStart").asInt(), n.get("kgEnd").asInt(), n.get("eventTime").asLong(), walk);
  }

  /** Unsigned byte order: the order of RocksDB's default comparator. */
  static int compareBytes(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
