package dev.herald.schema;

/** How the platform notifies the user of a message. */
public enum NotificationType implements WireEnum {
  REGULAR,
  SILENT_PUSH,
  NO_PUSH;

  @Override
  public String wire() {
    return name();
  }
}
