package dev.herald.policy;

import dev.herald.schema.Decision;
import dev.herald.schema.SendRequest;
import dev.herald.state.UserState;

/**
 * What a decision comes to: the audit record, the user's state after it (a token spent, a recurring
 * slot used, a send counted; unchanged for a skip or a dry run), and the message to release ({@code
 * null} for a skip or a dry run).
 */
public record Verdict(Decision decision, UserState after, SendRequest request) {}
