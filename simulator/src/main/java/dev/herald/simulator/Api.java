package dev.herald.simulator;

/**
 * The two platform APIs the simulator speaks, by the first segment of their path: Messenger's Send
 * API (Messenger pages and Instagram accounts) and the WhatsApp Cloud API.
 */
enum Api {
  MESSENGER("messenger", 613, 2, 551),
  WHATSAPP("whatsapp", 130429, 131000, 131026);

  private final String path;
  private final long throttleCode;
  private final long serverErrorCode;
  private final long unreachableCode;

  Api(String path, long throttleCode, long serverErrorCode, long unreachableCode) {
    this.path = path;
    this.throttleCode = throttleCode;
    this.serverErrorCode = serverErrorCode;
    this.unreachableCode = unreachableCode;
  }

  /** The path segment, also the {@code channel} label of the metrics. */
  String path() {
    return path;
  }

  /** The code of a call over the account's throughput limit. */
  long throttleCode() {
    return throttleCode;
  }

  /** The code of a transient server error, which a client retries. */
  long serverErrorCode() {
    return serverErrorCode;
  }

  /** The code for a user the platform cannot deliver to. */
  long unreachableCode() {
    return unreachableCode;
  }
}
