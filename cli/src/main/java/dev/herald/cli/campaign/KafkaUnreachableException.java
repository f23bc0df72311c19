package dev.herald.cli.campaign;

/**
 * Kafka did not answer (no broker at the bootstrap servers, or no acknowledgement in time): the
 * record may not have been written. The campaign commands exit with status 3.
 */
public final class KafkaUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public KafkaUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
