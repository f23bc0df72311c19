package dev.herald.schema;

/** An enum with a spelling on the wire that may differ from its Java name. */
public interface WireEnum {
  /** The value as it is written in a record. */
  String wire();

  /**
   * The constant of {@code type} spelled {@code value} on the wire, or {@code null} if there is
   * none.
   */
  static <E extends Enum<E> & WireEnum> E fromWire(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(value)) {
        return e;
      }
    }
    return null;
  }

  /** The wire spellings of {@code type}, comma separated, for error messages. */
  static <E extends Enum<E> & WireEnum> String spellings(Class<E> type) {
    StringBuilder b = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.wire());
    }
    return b.toString();
  }
}
