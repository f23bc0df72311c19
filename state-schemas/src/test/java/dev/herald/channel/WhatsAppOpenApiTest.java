package dev.herald.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.herald.schema.Channel;
import dev.herald.schema.NotificationType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The WhatsApp bodies are ones Meta's published OpenAPI description of the Cloud API defines: each
 * is valid against the send-message request body schema ({@code Message}), kept as a subset of
 * {@code facebook/openapi} in {@code src/test/resources/openapi/} (its README says what was kept
 * and the one adjustment made here).
 */
class WhatsAppOpenApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "/openapi/whatsapp-send-message.json";

  private static final JsonNode DESCRIPTION = load();

  /** The request body schema as the 2020-12 keywords mean it (see the README). */
  private static final JsonSchema MESSAGE = messageSchema(true);

  private static JsonNode load() {
    try (InputStream in = WhatsAppOpenApiTest.class.getResourceAsStream(RESOURCE)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code Message} schema of the description, with its {@code #/components/schemas/...}
   * references resolving in the same document; {@code adjusted}: each {@code additionalProperties:
   * false} of an {@code allOf} branch moved to {@code unevaluatedProperties: false} on the schema
   * holding the {@code allOf}.
   */
  private static JsonSchema messageSchema(boolean adjusted) {
    ObjectNode components = DESCRIPTION.get("components").deepCopy();
    if (adjusted) {
      moveClosedBranches(components);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$ref", "#/components/schemas/Message");
    root.set("components", components);
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
    schema.initializeValidators(); // every $ref resolves, or this fails
    return schema;
  }

  private static void moveClosedBranches(JsonNode node) {
    if (node.isObject()) {
      JsonNode allOf = node.get("allOf");
      if (allOf != null && allOf.isArray()) {
        for (JsonNode branch : allOf) {
          JsonNode closed = branch.get("additionalProperties");
          if (closed != null && closed.isBoolean() && !closed.booleanValue()) {
            ((ObjectNode) branch).remove("additionalProperties");
            ((ObjectNode) node).put("unevaluatedProperties", false);
          }
        }
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        moveClosedBranches(field.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(WhatsAppOpenApiTest::moveClosedBranches);
    }
  }

  private static Set<String> errors(JsonSchema schema, JsonNode body) {
    return schema.validate(body).stream()
        .map(ValidationMessage::getMessage)
        .collect(Collectors.toSet());
  }

  private static JsonNode body(Requests request) throws IOException {
    return JSON.readTree(request.body());
  }

  private static JsonNode example(String name) {
    return DESCRIPTION
        .at("/paths/~1{Version}~1{Phone-Number-ID}~1messages/post/requestBody/content")
        .at("/application~1json/examples")
        .get(name)
        .get("value");
  }

  private static Requests whatsapp() {
    return Requests.on(Channel.WHATSAPP).user("48500100200");
  }

  @Test
  void theSubsetIsTheRequestBodyOfSendMessage() {
    assertThat(
            DESCRIPTION.at(
                "/paths/~1{Version}~1{Phone-Number-ID}~1messages/post/requestBody"
                    + "/content/application~1json/schema/$ref"))
        .hasToString("\"#/components/schemas/Message\"");
    assertThat(DESCRIPTION.at("/components/schemas/Message/oneOf").size()).isEqualTo(11);
  }

  @Test
  void aTextInsideTheWindowIsValid() throws IOException {
    assertThat(errors(MESSAGE, body(whatsapp()))).isEmpty();
    assertThat(errors(MESSAGE, body(whatsapp().text("Zażółć \"gęślą\"\n😀")))).isEmpty();
    assertThat(errors(MESSAGE, body(whatsapp().notificationType(NotificationType.NO_PUSH))))
        .isEmpty();
  }

  @Test
  void aTemplateIsValid() throws IOException {
    assertThat(errors(MESSAGE, body(whatsapp().text(null).template("restock_alert", "pl"))))
        .isEmpty();
    assertThat(errors(MESSAGE, body(whatsapp().template("order_update", "en_US")))).isEmpty();
  }

  @Test
  void anEmptyComponentsArrayWouldBeValidToo() throws IOException {
    // Leaving components out is a choice, not a requirement: the schema sets no minItems.
    ObjectNode body = (ObjectNode) body(whatsapp().template("restock_alert", "pl"));
    ((ObjectNode) body.get("template")).putArray("components");
    assertThat(errors(MESSAGE, body)).isEmpty();
  }

  @Test
  void aBodyWithoutItsRecipientIsRejected() throws IOException {
    ObjectNode body = (ObjectNode) body(whatsapp());
    body.remove("to");
    assertThat(errors(MESSAGE, body)).contains("$: required property 'to' not found");
  }

  @Test
  void aTemplateWithoutItsLanguagePolicyIsRejected() throws IOException {
    // Why the body carries language.policy: the schema requires it.
    ObjectNode body = (ObjectNode) body(whatsapp().template("restock_alert", "pl"));
    ((ObjectNode) body.get("template").get("language")).remove("policy");
    assertThat(errors(MESSAGE, body))
        .contains("$.template.language: required property 'policy' not found");
  }

  @Test
  void aFieldTheSchemaDoesNotDefineIsRejected() throws IOException {
    // Why the request id is not in the body: a text message takes no field beyond those listed.
    ObjectNode body = (ObjectNode) body(whatsapp());
    body.put("biz_opaque_callback_data", "restock-42:whatsapp/acct-1/48500100200");
    assertThat(errors(MESSAGE, body))
        .contains(
            "$: property 'biz_opaque_callback_data' is not evaluated and the schema does not"
                + " allow unevaluated properties");
  }

  @Test
  void theAdjustmentIsWhatMetasOwnExampleNeeds() {
    JsonNode metasText = example("Send Text Message");
    assertThat(errors(MESSAGE, metasText)).isEmpty();
    // Read literally, the closed allOf branch rejects the base properties of every text message.
    assertThat(errors(messageSchema(false), metasText))
        .contains(
            "$: property 'to' is not defined in the schema and the schema does not allow"
                + " additional properties");
  }
}
