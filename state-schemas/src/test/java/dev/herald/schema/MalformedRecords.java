package dev.herald.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The table of malformed input records: each row is a record the codec rejects, with the reason it
 * gives, and whether the JSON Schema rejects it too ({@link Scope#BOTH}) or cannot express the
 * check ({@link Scope#CODEC_ONLY}: an end after the start, a reminder delay under 24 h).
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
    /** The codec only: a cross-field check no JSON Schema can express. */
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
    both("not JSON", "not valid JSON: Unrecognized token 'hello'*", "hello");
    both("empty text", "empty record", "");
    both(
        "JSON array",
        "not a JSON object (a record is one object, got array)",
        "[{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'}]");
    both("JSON string", "not a JSON object (a record is one object, got string)", "'cancel'");
    both("JSON null", "not a JSON object (a record is one object, got null)", "null");
    both(
        "trailing garbage",
        "not valid JSON: *",
        "{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'} x");
    both(
        "second object after the record",
        "not valid JSON: Trailing token*",
        "{'type':'cancel','campaign':'c-1','at':'2021-05-03T11:00:00Z'} {}");
    both("truncated object", "not valid JSON: Unexpected end-of-input*", "{'type':'cancel'");

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
        deliveryFor + "field 'error.code' is out of range",
        "{" + delivery + ",'status':'failed','error':{'code':9223372036854775808}}");
    both(
        "error code beyond a double",
        deliveryFor + "field 'error.code' is out of range",
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
    both(
        "rate 0",
        CAMPAIGN + "rate must be a positive number of decisions per second, got 0.0",
        "{" + C + ",'rate':0," + TEXT + "}");
    both(
        "negative rate",
        CAMPAIGN + "rate must be a positive number of decisions per second, got -5.0",
        "{" + C + ",'rate':-5," + TEXT + "}");
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
  }

  private MalformedRecords() {}

  /**
   * Valid records of the kinds the rows are built from: each row breaks one of them in one way, so
   * a row is rejected for its own fault and not for a fault of its base.
   */
  static List<String> bases() {
    return Stream.of(
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
            "{'type':'recurring_status'," + AT + "," + KEY + ",'topic':'deals','status':'STOP'}",
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
            "{" + C + ",'kind':'optin_request','topic':'deals','frequency':'WEEKLY'," + TEXT + "}",
            "{" + W + ",'outsideWindow':'TEMPLATE'," + TEMPLATE_MARKETING + "}",
            "{" + W + ",'promotional':false,'outsideWindow':'TEMPLATE'," + TEMPLATE_UTILITY + "}",
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
