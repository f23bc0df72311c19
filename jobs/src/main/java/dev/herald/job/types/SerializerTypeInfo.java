package dev.herald.job.types;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type information of a type with a hand-written serializer. */
public final class SerializerTypeInfo<T> extends TypeInformation<T> {

  private final Class<T> type;
  private final TypeSerializer<T> serializer;
  private final boolean keyType;

  SerializerTypeInfo(Class<T> type, TypeSerializer<T> serializer, boolean keyType) {
    this.type = type;
    this.serializer = serializer;
    this.keyType = keyType;
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return keyType;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return serializer.duplicate();
  }

  @Override
  public String toString() {
    return type.getSimpleName() + "(" + serializer.getClass().getSimpleName() + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SerializerTypeInfo<?> other
        && other.type.equals(type)
        && other.serializer.equals(serializer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, serializer.getClass());
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof SerializerTypeInfo;
  }
}
