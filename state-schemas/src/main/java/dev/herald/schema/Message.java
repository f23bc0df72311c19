package dev.herald.schema;

import java.util.List;

/**
 * What is sent: the default {@code text}, where the conversation resumes ({@code resumeAt}: an
 * interaction, or {@link #BREADCRUMB}), and variants chosen by the user's tags.
 */
public record Message(String text, String resumeAt, List<Variant> variants) {

  /** The {@code resumeAt} value that means "the user's last breadcrumb". */
  public static final String BREADCRUMB = "BREADCRUMB";

  public static final Message EMPTY = new Message(null, null, List.of());

  public Message {
    variants = List.copyOf(variants);
  }

  /** A variant of the message, sent to users who have all of {@code whenTags}. */
  public record Variant(String name, List<String> whenTags, String text) {
    public Variant {
      whenTags = List.copyOf(whenTags);
    }
  }
}
