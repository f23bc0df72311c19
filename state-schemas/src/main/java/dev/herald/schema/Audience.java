package dev.herald.schema;

import java.time.Duration;
import java.util.List;

/**
 * Who a campaign or reminder is for: a conjunction of the constraints present. An empty list or a
 * {@code null} duration is no constraint. The campaign's channel and account are implied.
 */
public record Audience(
    List<String> allTags,
    List<String> anyTags,
    List<String> noneTags,
    Duration interactedWithin,
    Duration inactiveFor,
    List<String> users) {

  /** Everyone known on the channel and account. */
  public static final Audience EVERYONE =
      new Audience(List.of(), List.of(), List.of(), null, null, List.of());

  public Audience {
    allTags = List.copyOf(allTags);
    anyTags = List.copyOf(anyTags);
    noneTags = List.copyOf(noneTags);
    users = List.copyOf(users);
  }
}
