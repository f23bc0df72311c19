package dev.herald.connectors.file;

/**
 * One line of input and where it was read: {@code file:line} for files, {@code
 * topic/partition/offset} for Kafka. The origin goes with the record into dead letters.
 */
public record SourceLine(String origin, String text) {}
