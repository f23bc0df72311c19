package dev.herald.cli.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The estimate of a campaign: a copy of its record that the job decides now, over its current
 * state, with {@code "dryRun":true}, so that the decisions are written (and marked) but nothing is
 * released, no token is spent and no state changes (EVENTS.md, {@code dryRun}).
 *
 * <p>The copy gets its own id, {@code <id>~estimate-<epoch ms>}, so that it never claims the real
 * campaign's id (an id seen again is ignored by the job), {@code at} now and no {@code startAt} (it
 * starts now), no {@code rate} (every user is decided at once), and no {@code endAt} if that has
 * passed (the copy would contradict itself). Everything else, audience and fallback included, is
 * the campaign's own.
 */
final class DryRunCopy {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DryRunCopy() {}

  /** The copy of the campaign record {@code json}, as decided at {@code now}. */
  static Result of(String json, Instant now) throws InvalidCampaignException {
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(json);
    if (!parsed.isOk()) {
      throw new InvalidCampaignException(parsed.reason());
    }
    if (!(parsed.value() instanceof ControlRecord.Campaign campaign)) {
      throw new InvalidCampaignException(
          "estimate takes a campaign record; this is a " + parsed.value().type());
    }
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    ObjectNode copy;
    try {
      copy = (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the codec accepted what Jackson cannot read", e);
    }
    String id = campaign.id() + "~estimate-" + at.toEpochMilli();
    copy.put("id", id);
    copy.put("at", at.toString());
    copy.remove("startAt");
    copy.remove("rate");
    JsonNode end = copy.get("endAt");
    if (end != null && end.isTextual() && !after(end.asText(), at)) {
      copy.remove("endAt");
    }
    copy.put("dryRun", true);
    String out = copy.toString();
    Parsed<ControlRecord> check = RecordCodec.parseControl(out);
    if (!check.isOk()) {
      throw new InvalidCampaignException("its estimate copy is not valid: " + check.reason());
    }
    return new Result(id, out, campaign);
  }

  /** The copy's id and record, and the campaign it copies. */
  record Result(String id, String json, ControlRecord.Campaign original) {}

  private static boolean after(String instant, Instant at) {
    try {
      return OffsetDateTime.parse(instant).toInstant().isAfter(at);
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
