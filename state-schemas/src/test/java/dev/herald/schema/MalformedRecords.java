package dev.herald.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The table of malformed input records: each row is a record the codec rejects, with the reason it
 * gives, and whether the JSON Schema rejects it too ({@link Scope#BOTH}) or cannot express the
 * check ({@link Scope#CODEC_ONLY}: the checks {@link SchemaAgreementTest#CODEC_ONLY_CHECKS} lists,
 * such as an end after the start, a lone surrogate or a field given twice). Every bound of {@link
 * Bounds} has rows one step beyond it, and {@link #atTheBounds()} records exactly at it.
 *
 * <p>Records are written with single quotes for readability; they are turned into JSON by replacing
 * every {@code '} with {@code "} (no record here contains an apostrophe). A reason is matched
 * exactly, except that a trailing {@code *} matches any rest (for the wording of the JSON parser's
 * own messages) and a leading {@code *} any beginning.
 */
final class MalformedRecords {

  /** Who rejects a record. */
  enum Scope {
    /** The codec and the schema. */
    BOTH,
    /**
     * The codec only: a check no JSON Schema can express (a cross-field check, a bound once an
     * offset is applied, a duration's total) or that the schema's JSON parser does not keep (a lone
     * surrogate, a field given twice, the size and nesting of the whole record).
     */
    CODEC_ONLY
  }

  /** One row of the table. */
  record Row(String what, Scope scope, String reason, String record) {
    @Override
    public String toString() {
      return what;
    }

    /** Whether {@code actual} is the reason this row expects. */
    boolean matches(String actual) {
      if (actual == null) {
        return false;
      }
      if (reason.endsWith("*")) {
        return actual.startsWith(reason.substring(0, reason.length() - 1));
      }
      if (reason.startsWith("*")) {
        return actual.endsWith(reason.substring(1));
      }
      return actual.equals(reason);
    }
  }

  private static final String AT = "'at':'2021-05-01T09:12:00Z'";
  private static final String KEY = "'channel':'messenger','account':'page-1','user':'u-1'";
  private static final String UE = "'type':'interaction'," + AT + "," + KEY;
  private static final String INTERACTION = "interaction for messenger/page-1/u-1: ";
  private static final String C =
      "'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'messenger',"
          + "'account':'page-1'";
  private static final String W =
      "'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'whatsapp',"
          + "'account':'phone-1'";
  private static final String IG =
      "'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'instagram',"
          + "'account':'ig-1'";
  private static final String TEXT = "'message':{'text':'Hi'}";
  private static final String CAMPAIGN = "campaign c-1: ";
  private static final String R =
      "'type':'reminder','id':'r-1','at':'2021-05-01T00:00:00Z','channel':'messenger',"
          + "'account':'page-1'";
  private static final String REMINDER = "reminder r-1: ";
  private static final String INSTANT = "is not an RFC 3339 instant (e.g. 2021-05-01T09:12:00Z): ";
  private static final String DURATION =
      "is not a duration in days, hours, minutes and seconds (e.g. PT30M, P7D): ";
  private static final String RATE =
      "field 'rate' must be a number of decisions per second from 0.00001 to 1000000000, ";
  private static final String TEMPLATE_MARKETING =
      "'template':{'name':'restock_v2','language':'en_US','category':'MARKETING'}";
  private static final String TEMPLATE_UTILITY =
      "'template':{'name':'order_update','language':'en_US','category':'UTILITY'}";

  private static final List<Row> ROWS = new ArrayList<>();

  private static void both(String what, String reason, String record) {
    ROWS.add(new Row(what, Scope.BOTH, reason, record.replace('\'', '"')));
  }

  private static void codecOnly(String what, String reason, String record) {
    ROWS.add(new Row(what, Scope.CODEC_ONLY, reason, record.replace('\'', '"')));
  }

  static {
    // ---- not one JSON object
    both("not JSON", "not valid JSON: unrecognized token 'hello'*", "hello");
    both("empty text", "empty record", "");
    both(
        "JSON array",
        "not a JSON object (a record is one object, got array)",
        "[{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'}]");
    both("JSON string", "not a JSON object (a record is one object, got string)", "'cancel'");
    both("JSON null", "not a JSON object (a record is one object, got null)", "null");
    both(
        "trailing garbage",
        "not valid JSON at character 64: more follows the record's object (a record is one object)",
        "{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'} x");
    both(
        "second object after the record",
        "not valid JSON at character 64: more follows the record's object (a record is one object)",
        "{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'} {}");
    both(
        "truncated object",
        "not valid JSON at character 17: the record ends before its object is complete",
        "{'type':'cancel'");

    // ---- type
    both("no type", "missing required field 'type'", "{}");
    both("null type", "missing required field 'type'", "{'type':null," + AT + "," + KEY + "}");
    both("type not a string", "field 'type' must be a string, got number", "{'type':5}");
    both("empty type", "field 'type' must not be empty", "{'type':''," + AT + "," + KEY + "}");
    both(
        "unknown type",
        "unknown type 'click' (expected one of interaction, tag, otn_optin, recurring_optin,"
            + " recurring_status, optin_request, optin, optout, delivery, erase, campaign,"
            + " reminder, cancel, account)",
        "{'type':'click'," + AT + "," + KEY + "}");

    // ---- fields of every user event
    both(
        "user event without at",
        INTERACTION + "missing required field 'at'",
        "{'type':'interaction'," + KEY + "}");
    both(
        "null at (a null required field)",
        INTERACTION + "missing required field 'at'",
        "{'type':'interaction','at':null," + KEY + "}");
    both(
        "timestamp without offset",
        INTERACTION + "field 'at' " + INSTANT + "'2021-05-01T09:12:00'",
        "{'type':'interaction','at':'2021-05-01T09:12:00'," + KEY + "}");
    both(
        "timestamp month 13",
        INTERACTION + "field 'at' " + INSTANT + "'2021-13-01T09:12:00Z'",
        "{'type':'interaction','at':'2021-13-01T09:12:00Z'," + KEY + "}");
    both(
        "timestamp February 30",
        INTERACTION + "field 'at' " + INSTANT + "'2021-02-30T09:12:00Z'",
        "{'type':'interaction','at':'2021-02-30T09:12:00Z'," + KEY + "}");
    both(
        "timestamp February 29 of a common year",
        INTERACTION + "field 'at' " + INSTANT + "'2021-02-29T09:12:00Z'",
        "{'type':'interaction','at':'2021-02-29T09:12:00Z'," + KEY + "}");
    both(
        "timestamp without seconds",
        INTERACTION + "field 'at' " + INSTANT + "'2021-05-01T09:12Z'",
        "{'type':'interaction','at':'2021-05-01T09:12Z'," + KEY + "}");
    both(
        "timestamp hour 24",
        INTERACTION + "field 'at' " + INSTANT + "'2021-05-01T24:00:00Z'",
        "{'type':'interaction','at':'2021-05-01T24:00:00Z'," + KEY + "}");
    both(
        "timestamp with a space for T",
        INTERACTION + "field 'at' " + INSTANT + "'2021-05-01 09:12:00Z'",
        "{'type':'interaction','at':'2021-05-01 09:12:00Z'," + KEY + "}");
    both(
        "timestamp offset +24:00",
        INTERACTION + "field 'at' " + INSTANT + "'2021-05-01T09:12:00+24:00'",
        "{'type':'interaction','at':'2021-05-01T09:12:00+24:00'," + KEY + "}");
    both(
        "timestamp as epoch seconds",
        INTERACTION + "field 'at' must be a string, got number",
        "{'type':'interaction','at':1619860320," + KEY + "}");
    both(
        "unknown channel",
        "interaction for telegram/page-1/u-1: field 'channel' must be one of messenger,"
            + " instagram, whatsapp, got 'telegram'",
        "{'type':'interaction'," + AT + ",'channel':'telegram','account':'page-1','user':'u-1'}");
    both(
        "channel in the wrong case",
        "interaction for Messenger/page-1/u-1: field 'channel' must be one of messenger,"
            + " instagram, whatsapp, got 'Messenger'",
        "{'type':'interaction'," + AT + ",'channel':'Messenger','account':'page-1','user':'u-1'}");
    both(
        "user event without user",
        "interaction: missing required field 'user'",
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'page-1'}");
    both(
        "null user",
        "interaction: missing required field 'user'",
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'page-1','user':null}");
    both(
        "empty user",
        "interaction for messenger/page-1/: field 'user' must not be empty",
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'page-1','user':''}");
    both(
        "empty account",
        "interaction for messenger//u-1: field 'account' must not be empty",
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'','user':'u-1'}");
    both(
        "user id as a number",
        "interaction: field 'user' must be a string, got number",
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'page-1','user':42}");
    both("empty event id", INTERACTION + "field 'id' must not be empty", "{" + UE + ",'id':''}");

    // ---- interaction
    both(
        "unknown interaction kind",
        INTERACTION
            + "field 'kind' must be one of message, postback, referral, reaction, ctm_ad,"
            + " got 'swipe'",
        "{" + UE + ",'kind':'swipe'}");
    both(
        "breadcrumb as a string",
        INTERACTION + "field 'breadcrumb' must be true or false, got string",
        "{" + UE + ",'breadcrumb':'yes'}");
    both(
        "empty interaction node",
        INTERACTION + "field 'interaction' must not be empty",
        "{" + UE + ",'interaction':''}");

    // ---- tag
    String tag = "'type':'tag'," + AT + "," + KEY;
    String tagFor = "tag for messenger/page-1/u-1: ";
    both(
        "tag event with neither add nor remove",
        tagFor + "a tag event needs 'add' or 'remove'",
        "{" + tag + "}");
    both(
        "tag event with add and remove null",
        tagFor + "a tag event needs 'add' or 'remove'",
        "{" + tag + ",'add':null,'remove':null}");
    both(
        "tag add as a string",
        tagFor + "field 'add' must be an array of strings, got string",
        "{" + tag + ",'add':'started'}");
    both("empty tag", tagFor + "field 'add[0]' must not be empty", "{" + tag + ",'add':['']}");
    both(
        "tag as a number",
        tagFor + "field 'remove[1]' must be a string, got number",
        "{" + tag + ",'remove':['a',7]}");

    // ---- opt-ins and requests
    both(
        "otn_optin without token",
        "otn_optin for messenger/page-1/u-1: missing required field 'token'",
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'restock'}");
    both(
        "otn_optin with an empty topic",
        "otn_optin for messenger/page-1/u-1: field 'topic' must not be empty",
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'','token':'tok-1'}");
    String optin = "'type':'recurring_optin'," + AT + "," + KEY + ",'topic':'deals','token':'rn-1'";
    String optinFor = "recurring_optin for messenger/page-1/u-1: ";
    both(
        "unknown recurring frequency",
        optinFor + "field 'frequency' must be one of DAILY, WEEKLY, MONTHLY, got 'HOURLY'",
        "{" + optin + ",'frequency':'HOURLY'}");
    both(
        "recurring_optin without frequency",
        optinFor + "missing required field 'frequency'",
        "{" + optin + "}");
    both(
        "recurring_optin expiring November 31",
        optinFor + "field 'expiresAt' " + INSTANT + "'2021-11-31T00:00:00Z'",
        "{" + optin + ",'frequency':'DAILY','expiresAt':'2021-11-31T00:00:00Z'}");
    both(
        "unknown recurring status",
        "recurring_status for messenger/page-1/u-1: field 'status' must be one of STOP, RESUME,"
            + " got 'PAUSE'",
        "{'type':'recurring_status'," + AT + "," + KEY + ",'topic':'deals','status':'PAUSE'}");
    both(
        "optin_request event without topic",
        "optin_request for messenger/page-1/u-1: missing required field 'topic'",
        "{'type':'optin_request'," + AT + "," + KEY + "}");
    both(
        "unknown consent category",
        "optout for messenger/page-1/u-1: field 'category' must be one of MARKETING, UTILITY,"
            + " got 'PROMO'",
        "{'type':'optout'," + AT + "," + KEY + ",'category':'PROMO'}");

    // ---- delivery
    String delivery = "'type':'delivery'," + AT + "," + KEY;
    String deliveryFor = "delivery for messenger/page-1/u-1: ";
    both(
        "delivery without status",
        deliveryFor + "missing required field 'status'",
        "{" + delivery + "}");
    both(
        "unknown delivery status",
        deliveryFor
            + "field 'status' must be one of sent, delivered, read, failed, expired, got 'bounced'",
        "{" + delivery + ",'status':'bounced'}");
    both(
        "error code 1.5",
        deliveryFor + "field 'error.code' must be an integer, got number",
        "{" + delivery + ",'status':'failed','error':{'code':1.5}}");
    both(
        "error code as a string",
        deliveryFor + "field 'error.code' must be an integer, got string",
        "{" + delivery + ",'status':'failed','error':{'code':'131026'}}");
    both(
        "error without code",
        deliveryFor + "missing required field 'error.code'",
        "{" + delivery + ",'status':'failed','error':{'subcode':2018108}}");
    both(
        "error code too large for a long",
        deliveryFor + "field 'error.code' is out of range (0 to 2147483647)",
        "{" + delivery + ",'status':'failed','error':{'code':9223372036854775808}}");
    both(
        "error code beyond a double",
        deliveryFor + "field 'error.code' is out of range (0 to 2147483647)",
        "{" + delivery + ",'status':'failed','error':{'code':1e400}}");
    both(
        "error subcode 2.5",
        deliveryFor + "field 'error.subcode' must be an integer, got number",
        "{" + delivery + ",'status':'failed','error':{'code':10,'subcode':2.5}}");
    both(
        "error as a string",
        deliveryFor + "field 'error' must be an object, got string",
        "{" + delivery + ",'status':'failed','error':'oops'}");
    both(
        "empty request id",
        deliveryFor + "field 'requestId' must not be empty",
        "{" + delivery + ",'status':'sent','requestId':''}");

    // ---- campaign: fields
    both(
        "campaign without id",
        "campaign: missing required field 'id'",
        "{'type':'campaign','at':'2021-05-03T08:00:00Z','channel':'messenger',"
            + "'account':'page-1',"
            + TEXT
            + "}");
    both(
        "empty campaign id",
        "*: field 'id' must not be empty",
        "{'type':'campaign','id':'','at':'2021-05-03T08:00:00Z','channel':'messenger',"
            + "'account':'page-1',"
            + TEXT
            + "}");
    both(
        "campaign id as a number",
        "campaign: field 'id' must be a string, got number",
        "{'type':'campaign','id':42,'at':'2021-05-03T08:00:00Z','channel':'messenger',"
            + "'account':'page-1',"
            + TEXT
            + "}");
    both(
        "campaign without account",
        CAMPAIGN + "missing required field 'account'",
        "{'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'messenger',"
            + TEXT
            + "}");
    both(
        "startAt February 30",
        CAMPAIGN + "field 'startAt' " + INSTANT + "'2021-02-30T10:00:00Z'",
        "{" + C + ",'startAt':'2021-02-30T10:00:00Z'," + TEXT + "}");
    both(
        "unknown campaign kind",
        CAMPAIGN + "field 'kind' must be one of message, optin_request, got 'survey'",
        "{" + C + ",'kind':'survey'," + TEXT + "}");
    both(
        "promotional as a string",
        CAMPAIGN + "field 'promotional' must be true or false, got string",
        "{" + C + ",'promotional':'yes'," + TEXT + "}");
    both(
        "audience as an array",
        CAMPAIGN + "field 'audience' must be an object, got array",
        "{" + C + ",'audience':[]," + TEXT + "}");
    both(
        "empty user in the audience",
        CAMPAIGN + "field 'audience.users[0]' must not be empty",
        "{" + C + ",'audience':{'users':['']}," + TEXT + "}");
    both(
        "duration in weeks (P1W)",
        CAMPAIGN + "field 'audience.interactedWithin' " + DURATION + "'P1W'",
        "{" + C + ",'audience':{'interactedWithin':'P1W'}," + TEXT + "}");
    both(
        "duration in months (P1M)",
        CAMPAIGN + "field 'audience.inactiveFor' " + DURATION + "'P1M'",
        "{" + C + ",'audience':{'inactiveFor':'P1M'}," + TEXT + "}");
    both(
        "duration in years (P1Y)",
        CAMPAIGN + "field 'audience.inactiveFor' " + DURATION + "'P1Y'",
        "{" + C + ",'audience':{'inactiveFor':'P1Y'}," + TEXT + "}");
    both(
        "negative duration (-PT1H)",
        CAMPAIGN + "field 'audience.inactiveFor' " + DURATION + "'-PT1H'",
        "{" + C + ",'audience':{'inactiveFor':'-PT1H'}," + TEXT + "}");
    both(
        "duration without a component (PT)",
        CAMPAIGN + "field 'audience.inactiveFor' " + DURATION + "'PT'",
        "{" + C + ",'audience':{'inactiveFor':'PT'}," + TEXT + "}");
    both(
        "duration with a dangling T (P1DT)",
        CAMPAIGN + "field 'audience.interactedWithin' " + DURATION + "'P1DT'",
        "{" + C + ",'audience':{'interactedWithin':'P1DT'}," + TEXT + "}");
    both(
        "duration in lower case",
        CAMPAIGN + "field 'audience.interactedWithin' " + DURATION + "'pt30m'",
        "{" + C + ",'audience':{'interactedWithin':'pt30m'}," + TEXT + "}");
    both(
        "empty duration",
        CAMPAIGN + "field 'audience.inactiveFor' must not be empty",
        "{" + C + ",'audience':{'inactiveFor':''}," + TEXT + "}");
    both(
        "unknown fallback",
        CAMPAIGN
            + "field 'outsideWindow' must be one of SKIP, MESSAGE_TAG, OTN, RECURRING, TEMPLATE,"
            + " got 'EMAIL'",
        "{" + C + ",'outsideWindow':'EMAIL'," + TEXT + "}");
    both(
        "unknown message tag",
        CAMPAIGN
            + "field 'tag' must be one of CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE,"
            + " ACCOUNT_UPDATE, HUMAN_AGENT, got 'SHIPPING_UPDATE'",
        "{"
            + C
            + ",'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'SHIPPING_UPDATE',"
            + TEXT
            + "}");
    both(
        "unknown notification type",
        CAMPAIGN
            + "field 'notificationType' must be one of REGULAR, SILENT_PUSH, NO_PUSH, got 'LOUD'",
        "{" + C + ",'notificationType':'LOUD'," + TEXT + "}");
    both("rate 0", CAMPAIGN + RATE + "got 0", "{" + C + ",'rate':0," + TEXT + "}");
    both("negative rate", CAMPAIGN + RATE + "got -5", "{" + C + ",'rate':-5," + TEXT + "}");
    both(
        "rate as a string",
        CAMPAIGN + "field 'rate' must be a number, got string",
        "{" + C + ",'rate':'10'," + TEXT + "}");
    both(
        "dryRun as a string",
        CAMPAIGN + "field 'dryRun' must be true or false, got string",
        "{" + C + ",'dryRun':'false'," + TEXT + "}");

    // ---- campaign: fallback per channel and what it needs
    both(
        "TEMPLATE on Messenger",
        CAMPAIGN
            + "outsideWindow TEMPLATE is not valid on messenger (messenger allows SKIP,"
            + " MESSAGE_TAG, OTN, RECURRING)",
        "{" + C + ",'outsideWindow':'TEMPLATE'," + TEMPLATE_MARKETING + "," + TEXT + "}");
    both(
        "OTN on WhatsApp",
        CAMPAIGN + "outsideWindow OTN is not valid on whatsapp (whatsapp allows SKIP, TEMPLATE)",
        "{" + W + ",'outsideWindow':'OTN','topic':'restock'," + TEXT + "}");
    both(
        "MESSAGE_TAG on WhatsApp",
        CAMPAIGN
            + "outsideWindow MESSAGE_TAG is not valid on whatsapp (whatsapp allows SKIP, TEMPLATE)",
        "{"
            + W
            + ",'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'ACCOUNT_UPDATE',"
            + TEXT
            + "}");
    both(
        "RECURRING on Instagram",
        CAMPAIGN
            + "outsideWindow RECURRING is not valid on instagram (instagram allows SKIP,"
            + " MESSAGE_TAG)",
        "{" + IG + ",'outsideWindow':'RECURRING','topic':'deals'," + TEXT + "}");
    both(
        "OTN without topic",
        CAMPAIGN + "outsideWindow OTN needs a topic",
        "{" + C + ",'outsideWindow':'OTN'," + TEXT + "}");
    both(
        "OTN with topic null",
        CAMPAIGN + "outsideWindow OTN needs a topic",
        "{" + C + ",'outsideWindow':'OTN','topic':null," + TEXT + "}");
    both(
        "RECURRING without topic",
        CAMPAIGN + "outsideWindow RECURRING needs a topic",
        "{" + C + ",'outsideWindow':'RECURRING'," + TEXT + "}");
    both(
        "MESSAGE_TAG without tag",
        CAMPAIGN + "outsideWindow MESSAGE_TAG needs a tag",
        "{" + C + ",'promotional':false,'outsideWindow':'MESSAGE_TAG'," + TEXT + "}");
    both(
        "MESSAGE_TAG with tag null",
        CAMPAIGN + "outsideWindow MESSAGE_TAG needs a tag",
        "{" + C + ",'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':null," + TEXT + "}");
    both(
        "Instagram CONFIRMED_EVENT_UPDATE",
        CAMPAIGN + "tag CONFIRMED_EVENT_UPDATE is not valid on instagram (only HUMAN_AGENT)",
        "{"
            + IG
            + ",'promotional':false,'outsideWindow':'MESSAGE_TAG',"
            + "'tag':'CONFIRMED_EVENT_UPDATE',"
            + TEXT
            + "}");
    both(
        "Instagram POST_PURCHASE_UPDATE with fallback SKIP",
        CAMPAIGN + "tag POST_PURCHASE_UPDATE is not valid on instagram (only HUMAN_AGENT)",
        "{" + IG + ",'tag':'POST_PURCHASE_UPDATE'," + TEXT + "}");
    both(
        "TEMPLATE without template",
        CAMPAIGN + "outsideWindow TEMPLATE needs a template",
        "{" + W + ",'outsideWindow':'TEMPLATE'," + TEXT + "}");
    both(
        "TEMPLATE with template null",
        CAMPAIGN + "outsideWindow TEMPLATE needs a template",
        "{" + W + ",'outsideWindow':'TEMPLATE','template':null," + TEXT + "}");

    // ---- campaign: templates
    both(
        "MARKETING template on a non-promotional campaign",
        CAMPAIGN
            + "template category MARKETING does not agree with promotional false (expected UTILITY)",
        "{" + W + ",'promotional':false,'outsideWindow':'TEMPLATE'," + TEMPLATE_MARKETING + "}");
    both(
        "UTILITY template on a campaign promotional by default",
        CAMPAIGN
            + "template category UTILITY does not agree with promotional true (expected MARKETING)",
        "{" + W + ",'outsideWindow':'TEMPLATE'," + TEMPLATE_UTILITY + "}");
    both(
        "UTILITY template with promotional null",
        CAMPAIGN
            + "template category UTILITY does not agree with promotional true (expected MARKETING)",
        "{" + W + ",'promotional':null,'outsideWindow':'TEMPLATE'," + TEMPLATE_UTILITY + "}");
    both(
        "template on Messenger",
        CAMPAIGN + "a template is only sent on whatsapp, not on messenger",
        "{" + C + "," + TEMPLATE_MARKETING + "," + TEXT + "}");
    both(
        "template on Instagram",
        CAMPAIGN + "a template is only sent on whatsapp, not on instagram",
        "{" + IG + "," + TEMPLATE_MARKETING + "}");
    both(
        "template without language",
        CAMPAIGN + "missing required field 'template.language'",
        "{"
            + W
            + ",'outsideWindow':'TEMPLATE','template':{'name':'restock_v2','category':'MARKETING'}}");
    both(
        "unknown template category",
        CAMPAIGN + "field 'template.category' must be one of MARKETING, UTILITY, got 'PROMO'",
        "{"
            + W
            + ",'outsideWindow':'TEMPLATE',"
            + "'template':{'name':'restock_v2','language':'en_US','category':'PROMO'}}");
    both(
        "template as a string",
        CAMPAIGN + "field 'template' must be an object, got string",
        "{" + W + ",'outsideWindow':'TEMPLATE','template':'restock_v2'}");

    // ---- campaign: message
    both("no text and no template", CAMPAIGN + "needs message.text or a template", "{" + C + "}");
    both(
        "empty message", CAMPAIGN + "needs message.text or a template", "{" + C + ",'message':{}}");
    both(
        "message text null",
        CAMPAIGN + "needs message.text or a template",
        "{" + C + ",'message':{'text':null,'resumeAt':'BREADCRUMB'}}");
    both(
        "variants but no default text",
        CAMPAIGN + "needs message.text or a template",
        "{" + C + ",'message':{'variants':[{'name':'red','whenTags':['red-wine'],'text':'Red'}]}}");
    both(
        "empty message text",
        CAMPAIGN + "field 'message.text' must not be empty",
        "{" + C + ",'message':{'text':''}}");
    both(
        "variant without text",
        CAMPAIGN + "missing required field 'message.variants[0].text'",
        "{" + C + ",'message':{'text':'Hi','variants':[{'name':'red','whenTags':['red-wine']}]}}");
    both(
        "variant with an empty name",
        CAMPAIGN + "field 'message.variants[0].name' must not be empty",
        "{" + C + ",'message':{'text':'Hi','variants':[{'name':'','text':'Red'}]}}");
    both(
        "variants as an object",
        CAMPAIGN + "field 'message.variants' must be an array of objects, got object",
        "{" + C + ",'message':{'text':'Hi','variants':{'name':'red','text':'Red'}}}");

    // ---- campaign: opt-in requests
    both(
        "optin_request campaign without topic",
        CAMPAIGN + "an optin_request campaign needs a topic",
        "{" + C + ",'kind':'optin_request','frequency':'WEEKLY'," + TEXT + "}");
    both(
        "optin_request campaign without frequency",
        CAMPAIGN + "an optin_request campaign needs a frequency (DAILY, WEEKLY, MONTHLY)",
        "{" + C + ",'kind':'optin_request','topic':'deals'," + TEXT + "}");
    both(
        "optin_request campaign with frequency null",
        CAMPAIGN + "an optin_request campaign needs a frequency (DAILY, WEEKLY, MONTHLY)",
        "{" + C + ",'kind':'optin_request','topic':'deals','frequency':null," + TEXT + "}");
    both(
        "optin_request campaign without message text",
        CAMPAIGN + "an optin_request campaign needs message.text (the request itself)",
        "{" + C + ",'kind':'optin_request','topic':'deals','frequency':'WEEKLY'}");
    both(
        "whatsapp optin_request campaign with only a template",
        "campaign c-1: an optin_request campaign needs message.text (the request itself)",
        "{'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'whatsapp',"
            + "'account':'wa-1','kind':'optin_request','topic':'deals','frequency':'WEEKLY',"
            + "'template':{'name':'deals','language':'en','category':'MARKETING'}}");
    both(
        "optin_request campaign with an OTN fallback",
        CAMPAIGN + "an optin_request campaign must have outsideWindow SKIP, not OTN",
        "{"
            + C
            + ",'kind':'optin_request','topic':'deals','frequency':'WEEKLY',"
            + "'outsideWindow':'OTN',"
            + TEXT
            + "}");
    both(
        "optin_request campaign with a MESSAGE_TAG fallback",
        CAMPAIGN + "an optin_request campaign must have outsideWindow SKIP, not MESSAGE_TAG",
        "{"
            + C
            + ",'kind':'optin_request','topic':'deals','frequency':'WEEKLY',"
            + "'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'ACCOUNT_UPDATE',"
            + TEXT
            + "}");
    both(
        "unknown optin_request frequency",
        CAMPAIGN + "field 'frequency' must be one of DAILY, WEEKLY, MONTHLY, got 'YEARLY'",
        "{" + C + ",'kind':'optin_request','topic':'deals','frequency':'YEARLY'," + TEXT + "}");

    // ---- campaign: end after the start (codec only)
    codecOnly(
        "endAt before startAt",
        CAMPAIGN + "endAt 2021-05-03T09:00:00Z must be after the start 2021-05-03T10:00:00Z",
        "{" + C + ",'startAt':'2021-05-03T10:00:00Z','endAt':'2021-05-03T09:00:00Z'," + TEXT + "}");
    codecOnly(
        "endAt equal to startAt",
        CAMPAIGN + "endAt 2021-05-03T10:00:00Z must be after the start 2021-05-03T10:00:00Z",
        "{" + C + ",'startAt':'2021-05-03T10:00:00Z','endAt':'2021-05-03T10:00:00Z'," + TEXT + "}");
    codecOnly(
        "endAt equal to startAt written with another offset",
        CAMPAIGN + "endAt 2021-05-03T10:00:00Z must be after the start 2021-05-03T10:00:00Z",
        "{"
            + C
            + ",'startAt':'2021-05-03T10:00:00Z','endAt':'2021-05-03T12:00:00+02:00',"
            + TEXT
            + "}");
    codecOnly(
        "endAt equal to at without startAt",
        CAMPAIGN + "endAt 2021-05-03T08:00:00Z must be after the start 2021-05-03T08:00:00Z",
        "{" + C + ",'endAt':'2021-05-03T08:00:00Z'," + TEXT + "}");
    codecOnly(
        "startAt before at and endAt between them",
        CAMPAIGN + "endAt 2021-05-03T07:30:00Z must be after the start 2021-05-03T08:00:00Z",
        "{" + C + ",'startAt':'2021-05-03T07:00:00Z','endAt':'2021-05-03T07:30:00Z'," + TEXT + "}");
    codecOnly(
        "endAt within the millisecond of the start",
        CAMPAIGN + "endAt 2021-05-03T10:00:00Z must be after the start 2021-05-03T10:00:00Z",
        "{"
            + C
            + ",'startAt':'2021-05-03T10:00:00Z','endAt':'2021-05-03T10:00:00.0009Z',"
            + TEXT
            + "}");

    // ---- reminder
    codecOnly(
        "reminder afterInactivity PT24H",
        REMINDER + "afterInactivity must be less than PT24H (the window), got PT24H",
        "{" + R + ",'afterInactivity':'PT24H','message':{'text':'Still there?'}}");
    codecOnly(
        "reminder afterInactivity P1D",
        REMINDER + "afterInactivity must be less than PT24H (the window), got P1D",
        "{" + R + ",'afterInactivity':'P1D','message':{'text':'Still there?'}}");
    codecOnly(
        "reminder afterInactivity PT1440M",
        REMINDER + "afterInactivity must be less than PT24H (the window), got PT1440M",
        "{" + R + ",'afterInactivity':'PT1440M','message':{'text':'Still there?'}}");
    codecOnly(
        "reminder afterInactivity P2DT1H",
        REMINDER + "afterInactivity must be less than PT24H (the window), got P2DT1H",
        "{" + R + ",'afterInactivity':'P2DT1H','message':{'text':'Still there?'}}");
    both(
        "reminder without afterInactivity",
        REMINDER + "missing required field 'afterInactivity'",
        "{" + R + ",'message':{'text':'Still there?'}}");
    both(
        "reminder afterInactivity in weeks",
        REMINDER + "field 'afterInactivity' " + DURATION + "'P1W'",
        "{" + R + ",'afterInactivity':'P1W','message':{'text':'Still there?'}}");
    both(
        "reminder afterInactivity as seconds",
        REMINDER + "field 'afterInactivity' must be a string, got number",
        "{" + R + ",'afterInactivity':1800,'message':{'text':'Still there?'}}");
    both(
        "reminder without message",
        REMINDER + "missing required field 'message' (a reminder needs message.text)",
        "{" + R + ",'afterInactivity':'PT30M'}");
    both(
        "reminder with message null",
        REMINDER + "missing required field 'message' (a reminder needs message.text)",
        "{" + R + ",'afterInactivity':'PT30M','message':null}");
    both(
        "reminder without message.text",
        REMINDER + "missing required field 'message.text'",
        "{" + R + ",'afterInactivity':'PT30M','message':{'resumeAt':'BREADCRUMB'}}");
    both(
        "reminder audience tags as a string",
        REMINDER + "field 'audience.noneTags' must be an array of strings, got string",
        "{"
            + R
            + ",'afterInactivity':'PT30M','audience':{'noneTags':'finished'},"
            + "'message':{'text':'Still there?'}}");

    // ---- cancel and account
    both(
        "cancel without campaign",
        "cancel: missing required field 'campaign'",
        "{'type':'cancel','at':'2021-05-03T11:00:00Z'}");
    both(
        "cancel of an empty id",
        "*: field 'campaign' must not be empty",
        "{'type':'cancel','campaign':'','at':'2021-05-03T11:00:00Z'}");
    both(
        "cancel without at",
        "cancel of c-1: missing required field 'at'",
        "{'type':'cancel','campaign':'c-1'}");
    both(
        "cancel at yesterday",
        "cancel of c-1: field 'at' " + INSTANT + "'yesterday'",
        "{'type':'cancel','campaign':'c-1','at':'yesterday'}");
    both(
        "unknown account status",
        "account messenger/page-1: field 'status' must be one of ACTIVE, PAUSED, got 'STOPPED'",
        "{'type':'account','at':'2021-05-03T09:00:00Z','channel':'messenger','account':'page-1',"
            + "'status':'STOPPED'}");
    both(
        "account without status",
        "account messenger/page-1: missing required field 'status'",
        "{'type':'account','at':'2021-05-03T09:00:00Z','channel':'messenger','account':'page-1'}");
    both(
        "account without channel",
        "account: missing required field 'channel'",
        "{'type':'account','at':'2021-05-03T09:00:00Z','account':'page-1','status':'PAUSED'}");

    boundsOfStrings();
    boundsOfListsAndNumbers();
    boundsOfInstantsAndDurations();
    codecOnlyChecksOfTheWholeRecord();
  }

  /** {@code n} times {@code s}. */
  private static String times(int n, String s) {
    return s.repeat(n);
  }

  /**
   * A row for a string one character longer than its kind allows: {@code record} holds {@code @}
   * where the value goes, {@code subject} is how the reason names the record.
   */
  private static void tooLong(
      String what, String subject, String field, Bounds.Strings kind, String record) {
    both(
        what + " of " + (kind.maxLength + 1) + " characters",
        subject
            + "field '"
            + field
            + "' is longer than "
            + kind.maxLength
            + " characters ("
            + (kind.maxLength + 1)
            + ")",
        record.replace("@", times(kind.maxLength + 1, "x")));
  }

  /** The label of a value in a reason: its first 64 characters, then … */
  private static String label(String value) {
    return value.codePointCount(0, value.length()) <= Text.MAX_QUOTED
        ? value
        : value.substring(0, value.offsetByCodePoints(0, Text.MAX_QUOTED)) + "…";
  }

  private static void boundsOfStrings() {
    Bounds.Strings name = Bounds.Strings.NAME;
    Bounds.Strings reference = Bounds.Strings.REFERENCE;
    Bounds.Strings text = Bounds.Strings.TEXT;
    String x257 = label(times(257, "x"));
    String tagFor = "tag for messenger/page-1/u-1: ";
    String deliveryFor = "delivery for messenger/page-1/u-1: ";

    // ---- names: at most 256 characters
    tooLong(
        "user id",
        "interaction for messenger/page-1/" + x257 + ": ",
        "user",
        name,
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'page-1','user':'@'}");
    tooLong(
        "account",
        "interaction for messenger/" + x257 + "/u-1: ",
        "account",
        name,
        "{'type':'interaction'," + AT + ",'channel':'messenger','account':'@','user':'u-1'}");
    tooLong(
        "campaign id",
        "campaign " + x257 + ": ",
        "id",
        name,
        "{" + C.replace("c-1", "@") + "," + TEXT + "}");
    tooLong(
        "campaign account",
        CAMPAIGN,
        "account",
        name,
        "{" + C.replace("page-1", "@") + "," + TEXT + "}");
    tooLong(
        "campaign topic",
        CAMPAIGN,
        "topic",
        name,
        "{" + C + ",'outsideWindow':'OTN','topic':'@'," + TEXT + "}");
    tooLong(
        "reminder id",
        "reminder " + x257 + ": ",
        "id",
        name,
        "{" + R.replace("r-1", "@") + ",'afterInactivity':'PT30M','message':{'text':'Hi'}}");
    tooLong(
        "reminder account",
        REMINDER,
        "account",
        name,
        "{" + R.replace("page-1", "@") + ",'afterInactivity':'PT30M','message':{'text':'Hi'}}");
    tooLong(
        "otn_optin topic",
        "otn_optin for messenger/page-1/u-1: ",
        "topic",
        name,
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'@','token':'tok-1'}");
    tooLong(
        "recurring_optin topic",
        "recurring_optin for messenger/page-1/u-1: ",
        "topic",
        name,
        "{'type':'recurring_optin',"
            + AT
            + ","
            + KEY
            + ",'topic':'@','token':'rn-1','frequency':'DAILY'}");
    tooLong(
        "recurring_status topic",
        "recurring_status for messenger/page-1/u-1: ",
        "topic",
        name,
        "{'type':'recurring_status'," + AT + "," + KEY + ",'topic':'@','status':'STOP'}");
    tooLong(
        "optin_request topic",
        "optin_request for messenger/page-1/u-1: ",
        "topic",
        name,
        "{'type':'optin_request'," + AT + "," + KEY + ",'topic':'@'}");
    tooLong(
        "added tag",
        tagFor,
        "add[1]",
        name,
        "{'type':'tag'," + AT + "," + KEY + ",'add':['a','@']}");
    tooLong(
        "removed tag",
        tagFor,
        "remove[0]",
        name,
        "{'type':'tag'," + AT + "," + KEY + ",'remove':['@']}");
    tooLong(
        "audience allTags item",
        CAMPAIGN,
        "audience.allTags[0]",
        name,
        "{" + C + ",'audience':{'allTags':['@']}," + TEXT + "}");
    tooLong(
        "audience anyTags item",
        CAMPAIGN,
        "audience.anyTags[0]",
        name,
        "{" + C + ",'audience':{'anyTags':['@']}," + TEXT + "}");
    tooLong(
        "reminder audience noneTags item",
        REMINDER,
        "audience.noneTags[0]",
        name,
        "{"
            + R
            + ",'afterInactivity':'PT30M','audience':{'noneTags':['@']},'message':{'text':'Hi'}}");
    tooLong(
        "audience users item",
        CAMPAIGN,
        "audience.users[0]",
        name,
        "{" + C + ",'audience':{'users':['@']}," + TEXT + "}");
    tooLong(
        "cancelled id",
        "cancel of " + x257 + ": ",
        "campaign",
        name,
        "{'type':'cancel','campaign':'@','at':'2021-05-03T11:00:00Z'}");
    tooLong(
        "account record's account",
        "account messenger/" + x257 + ": ",
        "account",
        name,
        "{'type':'account','at':'2021-05-03T09:00:00Z','channel':'messenger','account':'@',"
            + "'status':'PAUSED'}");
    tooLong(
        "delivery campaign",
        deliveryFor,
        "campaign",
        name,
        "{'type':'delivery'," + AT + "," + KEY + ",'status':'sent','campaign':'@'}");
    tooLong(
        "variant name",
        CAMPAIGN,
        "message.variants[0].name",
        name,
        "{" + C + ",'message':{'text':'Hi','variants':[{'name':'@','text':'Red'}]}}");
    tooLong(
        "variant whenTags item",
        CAMPAIGN,
        "message.variants[0].whenTags[0]",
        name,
        "{"
            + C
            + ",'message':{'text':'Hi','variants':[{'name':'r','whenTags':['@'],'text':'R'}]}}");
    tooLong(
        "template name",
        CAMPAIGN,
        "template.name",
        name,
        "{"
            + W
            + ",'outsideWindow':'TEMPLATE',"
            + "'template':{'name':'@','language':'en_US','category':'MARKETING'}}");
    tooLong(
        "template language",
        CAMPAIGN,
        "template.language",
        name,
        "{"
            + W
            + ",'outsideWindow':'TEMPLATE',"
            + "'template':{'name':'restock_v2','language':'@','category':'MARKETING'}}");
    String emoji257 = times(257, "\uD83D\uDE00");
    both(
        "user id of 257 characters outside the BMP",
        "interaction for messenger/page-1/"
            + label(emoji257)
            + ": field 'user' is longer than 256 characters (257)",
        "{'type':'interaction',"
            + AT
            + ",'channel':'messenger','account':'page-1','user':'"
            + emoji257
            + "'}");

    // ---- references: at most 1024 characters
    tooLong("event id", INTERACTION, "id", reference, "{" + UE + ",'id':'@'}");
    tooLong(
        "interaction node",
        INTERACTION,
        "interaction",
        reference,
        "{" + UE + ",'interaction':'@'}");
    tooLong(
        "OTN token",
        "otn_optin for messenger/page-1/u-1: ",
        "token",
        reference,
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'restock','token':'@'}");
    tooLong(
        "recurring token",
        "recurring_optin for messenger/page-1/u-1: ",
        "token",
        reference,
        "{'type':'recurring_optin',"
            + AT
            + ","
            + KEY
            + ",'topic':'deals','token':'@','frequency':'DAILY'}");
    tooLong(
        "delivery requestId",
        deliveryFor,
        "requestId",
        Bounds.Strings.REQUEST_ID,
        "{'type':'delivery'," + AT + "," + KEY + ",'status':'sent','requestId':'@'}");
    tooLong(
        "message resumeAt",
        CAMPAIGN,
        "message.resumeAt",
        reference,
        "{" + C + ",'message':{'text':'Hi','resumeAt':'@'}}");

    // ---- message texts: at most 4096 characters
    tooLong("message text", CAMPAIGN, "message.text", text, "{" + C + ",'message':{'text':'@'}}");
    tooLong(
        "reminder message text",
        REMINDER,
        "message.text",
        text,
        "{" + R + ",'afterInactivity':'PT30M','message':{'text':'@'}}");
    tooLong(
        "variant text",
        CAMPAIGN,
        "message.variants[0].text",
        text,
        "{" + C + ",'message':{'text':'Hi','variants':[{'name':'r','text':'@'}]}}");

    // ---- control characters: none in names and references; tab, LF, CR only in texts
    both(
        "NUL in a user id",
        "interaction for messenger/page-1/u\\u0000-1: field 'user' contains the control character"
            + " U+0000 at character 2",
        "{'type':'interaction',"
            + AT
            + ",'channel':'messenger','account':'page-1','user':'u\\u0000-1'}");
    both(
        "line feed at the end of a user id",
        "interaction for messenger/page-1/u-1\\n: field 'user' contains the control character"
            + " U+000A at character 4",
        "{'type':'interaction',"
            + AT
            + ",'channel':'messenger','account':'page-1','user':'u-1\\n'}");
    both(
        "tab in a tag",
        tagFor + "field 'add[0]' contains the control character U+0009 at character 4",
        "{'type':'tag'," + AT + "," + KEY + ",'add':['red\\twine']}");
    both(
        "U+001F in a topic",
        "otn_optin for messenger/page-1/u-1: field 'topic' contains the control character U+001F"
            + " at character 1",
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'\\u001frestock','token':'tok-1'}");
    both(
        "DEL in a token",
        "otn_optin for messenger/page-1/u-1: field 'token' contains the control character U+007F"
            + " at character 4",
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'restock','token':'tok\\u007f'}");
    both(
        "carriage return in an interaction node",
        INTERACTION + "field 'interaction' contains the control character U+000D at character 6",
        "{" + UE + ",'interaction':'/lead\\r'}");
    both(
        "U+0080 in a campaign account",
        CAMPAIGN + "field 'account' contains the control character U+0080 at character 5",
        "{" + C.replace("page-1", "page\\u0080-1") + "," + TEXT + "}");
    both(
        "U+009F in a variant name",
        CAMPAIGN
            + "field 'message.variants[0].name' contains the control character U+009F at"
            + " character 2",
        "{" + C + ",'message':{'text':'Hi','variants':[{'name':'r\\u009f','text':'R'}]}}");
    both(
        "NUL in a message text",
        CAMPAIGN + "field 'message.text' contains the control character U+0000 at character 3",
        "{" + C + ",'message':{'text':'Hi\\u0000'}}");
    both(
        "vertical tab in a message text",
        CAMPAIGN + "field 'message.text' contains the control character U+000B at character 3",
        "{" + C + ",'message':{'text':'Hi\\u000bthere'}}");
    both(
        "U+0085 (next line) in a variant text",
        CAMPAIGN
            + "field 'message.variants[0].text' contains the control character U+0085 at"
            + " character 4",
        "{" + C + ",'message':{'text':'Hi','variants':[{'name':'r','text':'Red\\u0085'}]}}");

    // ---- lone UTF-16 surrogates: the codec only (a JSON parser may not even keep them)
    codecOnly(
        "lone high surrogate in a user id",
        "interaction for messenger/page-1/u\\ud800: field 'user' contains a lone UTF-16 surrogate"
            + " \\ud800 at character 2, which is not a character",
        "{'type':'interaction',"
            + AT
            + ",'channel':'messenger','account':'page-1','user':'u\\ud800'}");
    codecOnly(
        "lone low surrogate in a token",
        "otn_optin for messenger/page-1/u-1: field 'token' contains a lone UTF-16 surrogate"
            + " \\udc00 at character 1, which is not a character",
        "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'restock','token':'\\udc00tok'}");
    codecOnly(
        "surrogates in the wrong order in a message text",
        CAMPAIGN
            + "field 'message.text' contains a lone UTF-16 surrogate \\udc00 at character 3, which"
            + " is not a character",
        "{" + C + ",'message':{'text':'Hi\\udc00\\ud83d'}}");
    codecOnly(
        "high surrogate at the end of a tag",
        tagFor
            + "field 'add[0]' contains a lone UTF-16 surrogate \\ud83d at character 4, which is"
            + " not a character",
        "{'type':'tag'," + AT + "," + KEY + ",'add':['red\\ud83d']}");
  }

  private static void boundsOfListsAndNumbers() {
    String tagFor = "tag for messenger/page-1/u-1: ";
    String deliveryFor = "delivery for messenger/page-1/u-1: ";
    String tags101 = "'t'" + times(100, ",'t'");
    both(
        "101 tags added",
        tagFor + "field 'add' has 101 items, more than the 100 allowed",
        "{'type':'tag'," + AT + "," + KEY + ",'add':[" + tags101 + "]}");
    both(
        "101 tags removed",
        tagFor + "field 'remove' has 101 items, more than the 100 allowed",
        "{'type':'tag'," + AT + "," + KEY + ",'remove':[" + tags101 + "]}");
    both(
        "audience of 101 allTags",
        CAMPAIGN + "field 'audience.allTags' has 101 items, more than the 100 allowed",
        "{" + C + ",'audience':{'allTags':[" + tags101 + "]}," + TEXT + "}");
    both(
        "audience of 101 noneTags",
        CAMPAIGN + "field 'audience.noneTags' has 101 items, more than the 100 allowed",
        "{" + C + ",'audience':{'noneTags':[" + tags101 + "]}," + TEXT + "}");
    both(
        "variant of 101 whenTags",
        CAMPAIGN + "field 'message.variants[0].whenTags' has 101 items, more than the 100 allowed",
        "{"
            + C
            + ",'message':{'text':'Hi','variants':[{'name':'r','whenTags':["
            + tags101
            + "],'text':'R'}]}}");
    both(
        "audience of 10001 users",
        CAMPAIGN + "field 'audience.users' has 10001 items, more than the 10000 allowed",
        "{" + C + ",'audience':{'users':['u'" + times(10_000, ",'u'") + "]}," + TEXT + "}");
    String variant = "{'name':'r','text':'R'}";
    both(
        "101 variants",
        CAMPAIGN + "field 'message.variants' has 101 items, more than the 100 allowed",
        "{"
            + C
            + ",'message':{'text':'Hi','variants':["
            + variant
            + times(100, "," + variant)
            + "]}}");

    both(
        "rate below 0.00001",
        CAMPAIGN + RATE + "got 0.000009",
        "{" + C + ",'rate':0.000009," + TEXT + "}");
    both("rate 1e-300", CAMPAIGN + RATE + "got 1E-300", "{" + C + ",'rate':1e-300," + TEXT + "}");
    both(
        "rate above 1e9",
        CAMPAIGN + RATE + "got 1000000001",
        "{" + C + ",'rate':1000000001," + TEXT + "}");
    both(
        "rate 1e400",
        CAMPAIGN + RATE + "got a number too large to read",
        "{" + C + ",'rate':1e400," + TEXT + "}");

    both(
        "negative error code",
        deliveryFor + "field 'error.code' is out of range (0 to 2147483647)",
        "{'type':'delivery'," + AT + "," + KEY + ",'status':'failed','error':{'code':-1}}");
    both(
        "error code 2147483648",
        deliveryFor + "field 'error.code' is out of range (0 to 2147483647)",
        "{'type':'delivery'," + AT + "," + KEY + ",'status':'failed','error':{'code':2147483648}}");
    both(
        "negative error subcode",
        deliveryFor + "field 'error.subcode' is out of range (0 to 2147483647)",
        "{'type':'delivery',"
            + AT
            + ","
            + KEY
            + ",'status':'failed','error':{'code':10,'subcode':-1}}");
    both(
        "error subcode 2147483648",
        deliveryFor + "field 'error.subcode' is out of range (0 to 2147483647)",
        "{'type':'delivery',"
            + AT
            + ","
            + KEY
            + ",'status':'failed','error':{'code':10,'subcode':2147483648}}");
  }

  private static void boundsOfInstantsAndDurations() {
    String range =
        ", outside the instants a record may carry (1970-01-01T00:00:00Z to"
            + " 9999-12-31T23:59:59.999Z in UTC)";
    // ---- instants written before 1970: the schema's pattern rejects them too
    both(
        "at the last millisecond before 1970",
        INTERACTION + "field 'at' is '1969-12-31T23:59:59.999Z'" + range,
        "{'type':'interaction','at':'1969-12-31T23:59:59.999Z'," + KEY + "}");
    both(
        "startAt in year 0",
        CAMPAIGN + "field 'startAt' is '0000-01-01T00:00:00Z'" + range,
        "{" + C + ",'startAt':'0000-01-01T00:00:00Z'," + TEXT + "}");
    both(
        "expiresAt in year 1000",
        "recurring_optin for messenger/page-1/u-1: field 'expiresAt' is '1000-01-01T00:00:00Z'"
            + range,
        "{'type':'recurring_optin',"
            + AT
            + ","
            + KEY
            + ",'topic':'deals','token':'rn-1','frequency':'DAILY','expiresAt':'1000-01-01T00:00:00Z'}");

    both(
        "at in year 10000",
        INTERACTION + "field 'at' " + INSTANT + "'10000-01-01T00:00:00Z'",
        "{'type':'interaction','at':'10000-01-01T00:00:00Z'," + KEY + "}");

    // ---- instants written in range but moved out of it by their offset: the codec only
    codecOnly(
        "at moved before 1970 by its offset",
        INTERACTION + "field 'at' is '1970-01-01T00:00:00+00:01'" + range,
        "{'type':'interaction','at':'1970-01-01T00:00:00+00:01'," + KEY + "}");
    codecOnly(
        "endAt moved past 9999 by its offset",
        CAMPAIGN + "field 'endAt' is '9999-12-31T23:59:59.999-00:01'" + range,
        "{" + C + ",'endAt':'9999-12-31T23:59:59.999-00:01'," + TEXT + "}");
    codecOnly(
        "cancel at moved past 9999 by an offset of -18:00",
        "cancel of c-1: field 'at' is '9999-12-31T06:00:00-18:00'" + range,
        "{'type':'cancel','campaign':'c-1','at':'9999-12-31T06:00:00-18:00'}");
    codecOnly(
        "expiresAt moved past 9999 by its offset",
        "recurring_optin for messenger/page-1/u-1: field 'expiresAt' is"
            + " '9999-12-31T23:00:00-01:00'"
            + range,
        "{'type':'recurring_optin',"
            + AT
            + ","
            + KEY
            + ",'topic':'deals','token':'rn-1','frequency':'DAILY','expiresAt':'9999-12-31T23:00:00-01:00'}");

    // ---- audience durations of more than 100 years: the codec only
    String longest = ", longer than P36500D, the longest it may be";
    codecOnly(
        "interactedWithin P36501D",
        CAMPAIGN + "field 'audience.interactedWithin' is 'P36501D'" + longest,
        "{" + C + ",'audience':{'interactedWithin':'P36501D'}," + TEXT + "}");
    codecOnly(
        "inactiveFor PT876001H",
        CAMPAIGN + "field 'audience.inactiveFor' is 'PT876001H'" + longest,
        "{" + C + ",'audience':{'inactiveFor':'PT876001H'}," + TEXT + "}");
    codecOnly(
        "inactiveFor a millisecond over P36500D",
        CAMPAIGN + "field 'audience.inactiveFor' is 'P36500DT0.001S'" + longest,
        "{" + C + ",'audience':{'inactiveFor':'P36500DT0.001S'}," + TEXT + "}");
    codecOnly(
        "reminder audience inactiveFor P99999999D",
        REMINDER + "field 'audience.inactiveFor' is 'P99999999D'" + longest,
        "{"
            + R
            + ",'afterInactivity':'PT30M','audience':{'inactiveFor':'P99999999D'},"
            + "'message':{'text':'Hi'}}");
  }

  private static void codecOnlyChecksOfTheWholeRecord() {
    // ---- a field given twice: the schema's JSON parser keeps the last one
    codecOnly(
        "type given twice",
        "field 'type' appears twice in the record",
        "{'type':'campaign','type':'interaction'," + AT + "," + KEY + "}");
    codecOnly(
        "at given twice",
        "field 'at' appears twice in the record",
        "{" + UE + ",'at':'2021-05-01T09:13:00Z'}");
    codecOnly(
        "message text given twice",
        "field 'message.text' appears twice in the record",
        "{" + C + ",'message':{'text':'Hi','text':'Bye'}}");
    codecOnly(
        "a field given twice inside an unknown field",
        "field 'future[1].x' appears twice in the record",
        "{" + UE + ",'future':[{},{'x':1,'x':1}]}");

    // ---- the whole record: its nesting and its size
    codecOnly(
        "65 levels of nesting in an unknown field",
        "the record nests objects and arrays more than 64 levels deep",
        "{" + UE + ",'future':" + times(64, "[") + times(64, "]") + "}");
    String record = "{" + UE + ",'future':'@'}";
    codecOnly(
        "a record of 1 MiB and one byte",
        "the record is larger than 1048576 bytes (1 MiB), the most a record may be",
        record.replace("@", times(Bounds.MAX_RECORD_BYTES + 1 - (record.length() - 1), "x")));
  }

  private MalformedRecords() {}

  /**
   * Valid records of the kinds the rows are built from: each row breaks one of them in one way, so
   * a row is rejected for its own fault and not for a fault of its base.
   */
  static List<String> bases() {
    List<String> bases =
        Stream.of(
                "{" + UE + "}",
                "{" + UE + ",'id':'e-1','kind':'postback','interaction':'/n','breadcrumb':true}",
                "{'type':'tag'," + AT + "," + KEY + ",'add':['a'],'remove':['b']}",
                "{'type':'otn_optin'," + AT + "," + KEY + ",'topic':'restock','token':'tok-1'}",
                "{'type':'recurring_optin',"
                    + AT
                    + ","
                    + KEY
                    + ",'topic':'deals','token':'rn-1',"
                    + "'frequency':'DAILY','expiresAt':'2021-11-30T00:00:00Z'}",
                "{'type':'recurring_status',"
                    + AT
                    + ","
                    + KEY
                    + ",'topic':'deals','status':'STOP'}",
                "{'type':'optin_request'," + AT + "," + KEY + ",'topic':'deals'}",
                "{'type':'optout'," + AT + "," + KEY + ",'category':'MARKETING'}",
                "{'type':'delivery',"
                    + AT
                    + ","
                    + KEY
                    + ",'status':'failed','requestId':'q',"
                    + "'error':{'code':10,'subcode':2018108}}",
                "{" + C + "," + TEXT + "}",
                "{"
                    + C
                    + ",'startAt':'2021-05-03T10:00:00Z','endAt':'2021-05-03T10:00:00.001Z',"
                    + "'audience':{'users':['u-1'],'interactedWithin':'PT30M','inactiveFor':'P1D'},"
                    + "'rate':0.001,'dryRun':false,'notificationType':'NO_PUSH',"
                    + "'message':{'text':'Hi','variants':[{'name':'red','whenTags':['r'],'text':'R'}]}}",
                "{" + C + ",'outsideWindow':'OTN','topic':'restock'," + TEXT + "}",
                "{"
                    + C
                    + ",'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'ACCOUNT_UPDATE',"
                    + TEXT
                    + "}",
                "{"
                    + C
                    + ",'kind':'optin_request','topic':'deals','frequency':'WEEKLY',"
                    + TEXT
                    + "}",
                "{" + W + ",'outsideWindow':'TEMPLATE'," + TEMPLATE_MARKETING + "}",
                "{"
                    + W
                    + ",'promotional':false,'outsideWindow':'TEMPLATE',"
                    + TEMPLATE_UTILITY
                    + "}",
                "{"
                    + IG
                    + ",'promotional':false,'outsideWindow':'MESSAGE_TAG','tag':'HUMAN_AGENT',"
                    + TEXT
                    + "}",
                "{"
                    + R
                    + ",'afterInactivity':'PT23H59M','audience':{'noneTags':['finished']},"
                    + "'message':{'text':'Still there?'}}",
                "{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'}",
                "{'type':'account','at':'2021-05-03T09:00:00Z','channel':'messenger',"
                    + "'account':'page-1','status':'PAUSED'}")
            .map(r -> r.replace('\'', '"'))
            .collect(Collectors.toCollection(ArrayList::new));
    bases.addAll(atTheBounds());
    return bases;
  }

  /** Valid records with every value at the edge of its bound (docs/records.md, "Bounds"). */
  static List<String> atTheBounds() {
    String name = times(256, "n");
    String reference = times(1024, "r");
    String emoji = times(256, "\uD83D\uDE00");
    String text = times(1023, "ab\\tc") + "de\\r\\n"; // 4096 characters, tab, CR and LF
    String tags = "'" + name + "'" + times(99, ",'" + name + "'");
    String variant = "{'name':'" + name + "','whenTags':[" + tags + "],'text':'" + text + "'}";
    String variants = variant + times(99, ",{'name':'v','text':'" + text + "'}");
    StringBuilder users = new StringBuilder("'u-0'");
    for (int i = 1; i < Bounds.MAX_USERS; i++) {
      users.append(",'u-").append(i).append('\'');
    }
    return Stream.of(
            "{'type':'interaction','at':'1970-01-01T00:00:00Z','channel':'messenger','account':'"
                + name
                + "','user':'"
                + emoji
                + "','id':'"
                + reference
                + "','interaction':'"
                + reference
                + "'}",
            "{'type':'interaction','at':'1970-01-01T18:00:00+18:00'," + KEY + "}",
            "{'type':'interaction','at':'9999-12-31T23:59:59.999999Z'," + KEY + "}",
            "{'type':'tag'," + AT + "," + KEY + ",'add':[" + tags + "],'remove':[" + tags + "]}",
            "{'type':'recurring_optin',"
                + AT
                + ","
                + KEY
                + ",'topic':'"
                + name
                + "','token':'"
                + reference
                + "','frequency':'DAILY','expiresAt':'9999-12-31T23:59:59.999Z'}",
            "{'type':'delivery',"
                + AT
                + ","
                + KEY
                + ",'status':'failed','requestId':'"
                + reference
                + "','campaign':'"
                + name
                + "','error':{'code':2147483647,'subcode':0}}",
            "{'type':'delivery'," + AT + "," + KEY + ",'status':'failed','error':{'code':0}}",
            "{'type':'campaign','id':'"
                + name
                + "','at':'1970-01-01T00:00:00Z','channel':'messenger','account':'"
                + name
                + "','endAt':'9999-12-31T23:59:59.999Z','outsideWindow':'OTN','topic':'"
                + name
                + "','audience':{'allTags':["
                + tags
                + "],'anyTags':["
                + tags
                + "],'noneTags':["
                + tags
                + "],'interactedWithin':'P36500D','inactiveFor':'PT876000H'},"
                + "'rate':1e9,'message':{'text':'"
                + text
                + "','resumeAt':'"
                + reference
                + "','variants':["
                + variants
                + "]}}",
            "{" + C + ",'audience':{'users':[" + users + "]},'rate':0.00001," + TEXT + "}",
            "{"
                + W
                + ",'outsideWindow':'TEMPLATE','template':{'name':'"
                + name
                + "','language':'"
                + name
                + "','category':'MARKETING'}}",
            "{'type':'cancel','campaign':'" + name + "','at':'9999-12-31T23:59:59.999Z'}",
            "{"
                + R.replace("r-1", name)
                + ",'afterInactivity':'PT23H59M59.999S','audience':{'inactiveFor':'P36500D'},"
                + "'message':{'text':'"
                + text
                + "'}}")
        .map(r -> r.replace('\'', '"'))
        .toList();
  }

  /** Every row. */
  static List<Row> all() {
    return List.copyOf(ROWS);
  }

  /** Every row, as arguments of a parameterized test. */
  static Stream<Arguments> rows() {
    return ROWS.stream().map(Arguments::of);
  }
}
