package dev.herald.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator does with one call: answer it (a success or an error in the Graph API's form),
 * or hold it and close it unanswered.
 */
sealed interface Answer {

  /** An HTTP answer with a JSON body. */
  record Reply(int httpStatus, byte[] body) implements Answer {}

  /** Hold the exchange, then close the connection without an answer. */
  record Hang(Duration hold) implements Answer {}

  ObjectMapper JSON = new ObjectMapper();
  AtomicLong TRACE = new AtomicLong();

  static Reply ok(ObjectNode body) {
    try {
      return new Reply(200, JSON.writeValueAsBytes(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An error as the Graph API writes it: {@code {"error":{"message","type","code","error_subcode",
   * "fbtrace_id"}}}.
   */
  static Reply error(int httpStatus, long code, Long subcode, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("message", message);
    error.put("type", "OAuthException");
    error.put("code", code);
    if (subcode != null) {
      error.put("error_subcode", subcode);
    }
    error.put("fbtrace_id", "Sim" + Long.toString(TRACE.incrementAndGet(), 36));
    ObjectNode root = JSON.createObjectNode();
    root.set("error", error);
    try {
      return new Reply(httpStatus, JSON.writeValueAsBytes(root));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
