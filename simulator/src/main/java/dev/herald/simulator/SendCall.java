package dev.herald.simulator;

/**
 * One valid send call, reduced to what the limits and the referee look at.
 *
 * @param api the API it came in on
 * @param account the sending account (page, Instagram account, phone-number id)
 * @param requestId the sink's {@code X-Herald-Request-Id}, or {@code null}
 * @param user the recipient's id (Messenger {@code recipient.id}, WhatsApp {@code to}); {@code
 *     null} for a token recipient
 * @param otnToken a Messenger one-time-notification token recipient, or {@code null}
 * @param recurringToken a Messenger recurring-notification token recipient, or {@code null}
 * @param messagingType Messenger's {@code messaging_type}, or {@code null}
 * @param tag Messenger's message tag, or {@code null}
 * @param optInRequest whether the message asks the user to subscribe (a template attachment of type
 *     {@code notification_messages} or {@code one_time_notif_req})
 * @param template whether it is a WhatsApp template message
 */
record SendCall(
    Api api,
    String account,
    String requestId,
    String user,
    String otnToken,
    String recurringToken,
    String messagingType,
    String tag,
    boolean optInRequest,
    boolean template) {}
