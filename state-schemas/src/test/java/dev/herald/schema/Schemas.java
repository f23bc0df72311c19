package dev.herald.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The JSON Schemas of {@code src/main/resources/schemas/}, loaded from the classpath by their
 * {@code $id}, with format assertions on (so {@code date-time} is checked, not only annotated).
 */
final class Schemas {

  /** The base of every schema's {@code $id}; mapped to {@code classpath:schemas/}. */
  static final String BASE = "https://herald.dev/schemas/";

  static final List<String> FILES =
      List.of(
          "wire-types.schema.json",
          "user-event.schema.json",
          "campaign.schema.json",
          "reminder.schema.json",
          "cancel.schema.json",
          "account.schema.json",
          "input-record.schema.json",
          "decision.schema.json",
          "send-request.schema.json",
          "dead-letter.schema.json");

  /** Reads records as the codec does: one JSON value, nothing after it. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder -> builder.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));

  static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private Schemas() {}

  /** The schema at {@code BASE + name}, e.g. {@code input-record.schema.json}. */
  static JsonSchema get(String name) {
    return CACHE.computeIfAbsent(
        name,
        n -> {
          JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(BASE + n), CONFIG);
          schema.initializeValidators(); // fails here, not later, if a $ref does not resolve
          return schema;
        });
  }

  /**
   * What is wrong with {@code json} by the schema {@code name}: empty when it is valid. Text that
   * is not one JSON value cannot be valid against any schema and yields one message saying so.
   */
  static Set<String> errors(String name, String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return Set.of("not one JSON value: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      return Set.of("not one JSON value: empty");
    }
    return errors(name, node);
  }

  static Set<String> errors(String name, JsonNode node) {
    return errors(get(name), node);
  }

  static Set<String> errors(JsonSchema schema, JsonNode node) {
    return schema.validate(node).stream()
        .map(ValidationMessage::getMessage)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
