package dev.herald.cli.campaign;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs an estimate: publishes the dry-run copy of a campaign ({@link DryRunCopy}) and counts its
 * decisions as the job writes them. The job writes no decision for a user outside the audience, so
 * there is no "last one" to wait for: the count is done when no new decision has come for a quiet
 * period after the first, or at the deadline.
 */
final class Estimator {

  /** The estimate: the copy published, what it counted, and whether it stopped at the deadline. */
  record Estimate(DryRunCopy.Result copy, DecisionTally tally, boolean hitDeadline) {}

  private final CampaignClient client;
  private final Clock clock;

  Estimator(CampaignClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * @param json the campaign record
   * @param deadline how long to wait in all
   * @param quiet how long without a new decision, after the first, ends the count; longer than the
   *     job's checkpoint interval, since decisions become visible at checkpoint commits
   */
  Estimate run(String json, Duration deadline, Duration quiet) throws InvalidCampaignException {
    Instant now = clock.instant();
    DryRunCopy.Result copy = DryRunCopy.of(json, now);
    DecisionTally tally = new DecisionTally();
    // Positioned at the end before publishing, so that no decision of the copy is missed.
    try (TopicReader decisions =
        new TopicReader(
                client.bootstrapServers(), client.decisionsTopic(), CampaignClient.KAFKA_WAIT)
            .fromEnd()) {
      client.publish(copy.json());
      Instant until = now.plus(deadline);
      Instant lastNew = null;
      while (true) {
        for (TopicReader.Read r : decisions.poll(Duration.ofMillis(250))) {
          if (copy.id().equals(r.key())) {
            DecisionView d = DecisionView.read(r.value());
            if (d != null && tally.add(d)) {
              lastNew = clock.instant();
            }
          }
        }
        Instant t = clock.instant();
        if (lastNew != null && !t.isBefore(lastNew.plus(quiet))) {
          return new Estimate(copy, tally, false);
        }
        if (!t.isBefore(until)) {
          return new Estimate(copy, tally, true);
        }
      }
    }
  }
}
