package dev.herald.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Kubernetes CustomResourceDefinition's schema as a JSON Schema, so that a custom resource can be
 * checked as the API server (and {@code kubectl apply}) would check it, without a cluster.
 *
 * <p>A CRD's {@code openAPIV3Schema} is the OpenAPI 3.0 subset of JSON Schema draft 4 (a structural
 * schema), read here as draft 4. Where Kubernetes means more than draft 4 says, the schema is
 * translated:
 *
 * <ul>
 *   <li>An object schema with {@code properties} and neither {@code additionalProperties} nor
 *       {@code x-kubernetes-preserve-unknown-fields} gets {@code additionalProperties: false}.
 *       Kubernetes prunes unknown fields of such objects, and since 1.27 {@code kubectl} asks the
 *       server for strict field validation, which rejects them instead; draft 4 would let a typo'd
 *       field through.
 *   <li>The {@code x-kubernetes-*} extensions are dropped: {@code int-or-string} already comes with
 *       its {@code anyOf}, and {@code preserve-unknown-fields} means no constraint, which is what a
 *       schema without keywords says.
 *   <li>The root gets what the API server checks outside the CRD's schema: {@code apiVersion} (the
 *       CRD's group and version), {@code kind}, and {@code metadata} with a name a Kubernetes
 *       object can have.
 * </ul>
 *
 * <p>Not checked: formats ({@code quantity}, {@code date-time}; this CRD declares none), CEL rules
 * ({@code x-kubernetes-validations}; this CRD has none), and what the operator's own admission
 * webhook checks beyond the schema (its {@code DefaultValidator}).
 */
final class OperatorCrd {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String EXTENSION_PREFIX = "x-kubernetes-";
  private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";
  // A DNS-1123 subdomain, the rule for most objects' names.
  private static final String NAME_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  private final String apiVersion;
  private final String kind;
  private final JsonSchema schema;

  private OperatorCrd(String apiVersion, String kind, JsonSchema schema) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.schema = schema;
  }

  /**
   * The schema of {@code version} in the CRD at {@code resource} on the classpath.
   *
   * @throws IllegalArgumentException if the CRD does not serve that version
   */
  static OperatorCrd load(String resource, String version) {
    JsonNode crd;
    try (InputStream in = OperatorCrd.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no " + resource + " on the classpath");
      }
      crd = YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String group = crd.at("/spec/group").asText();
    String kind = crd.at("/spec/names/kind").asText();
    for (JsonNode v : crd.at("/spec/versions")) {
      if (v.path("name").asText().equals(version)) {
        JsonNode openApi = v.at("/schema/openAPIV3Schema");
        ObjectNode root = withEnvelope(strict(openApi), group + "/" + version, kind);
        JsonSchema schema =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(root, SchemaValidatorsConfig.builder().build());
        schema.initializeValidators();
        return new OperatorCrd(group + "/" + version, kind, schema);
      }
    }
    throw new IllegalArgumentException(resource + " has no version " + version);
  }

  /** The resource's {@code apiVersion}, e.g. {@code flink.apache.org/v1beta1}. */
  String apiVersion() {
    return apiVersion;
  }

  /** The resource's {@code kind}, e.g. {@code FlinkDeployment}. */
  String kind() {
    return kind;
  }

  /** What is wrong with {@code resource}, one line per problem, sorted; empty when it is valid. */
  List<String> problems(JsonNode resource) {
    TreeSet<String> lines = new TreeSet<>();
    for (ValidationMessage m : schema.validate(resource)) {
      lines.add(m.getMessage());
    }
    return new ArrayList<>(lines);
  }

  /** A copy of {@code schema} with Kubernetes' meaning written out in draft 4 (class Javadoc). */
  private static JsonNode strict(JsonNode schema) {
    if (schema.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      schema.forEach(s -> copy.add(strict(s)));
      return copy;
    }
    if (!schema.isObject()) {
      return schema.deepCopy();
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String keyword = e.getKey();
      JsonNode value = e.getValue();
      if (keyword.startsWith(EXTENSION_PREFIX)) {
        continue;
      }
      switch (keyword) {
        case "properties", "patternProperties" -> {
          ObjectNode byName = copy.putObject(keyword);
          value.fields().forEachRemaining(p -> byName.set(p.getKey(), strict(p.getValue())));
        }
        case "items", "additionalProperties", "not", "allOf", "anyOf", "oneOf" ->
            copy.set(keyword, strict(value));
        default -> copy.set(keyword, value.deepCopy()); // enum, default, example: values
      }
    }
    if (schema.has("properties")
        && !schema.has("additionalProperties")
        && !schema.path(PRESERVE_UNKNOWN).asBoolean(false)) {
      copy.put("additionalProperties", false);
    }
    return copy;
  }

  private static ObjectNode withEnvelope(JsonNode crdSchema, String apiVersion, String kind) {
    ObjectNode root = crdSchema.deepCopy();
    ObjectNode properties = (ObjectNode) root.get("properties");
    properties.putObject("apiVersion").putArray("enum").add(apiVersion);
    properties.putObject("kind").putArray("enum").add(kind);
    ObjectNode metadata = properties.putObject("metadata");
    metadata.put("type", "object");
    metadata.putArray("required").add("name");
    ObjectNode meta = metadata.putObject("properties");
    meta.putObject("name").put("type", "string").put("maxLength", 253).put("pattern", NAME_PATTERN);
    meta.putObject("namespace").put("type", "string").put("pattern", NAME_PATTERN);
    meta.putObject("labels")
        .put("type", "object")
        .putObject("additionalProperties")
        .put("type", "string");
    meta.putObject("annotations")
        .put("type", "object")
        .putObject("additionalProperties")
        .put("type", "string");
    metadata.put("additionalProperties", false);
    root.putArray("required").add("apiVersion").add("kind").add("metadata").add("spec");
    root.put("additionalProperties", false);
    return root;
  }
}
