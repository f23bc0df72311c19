package dev.herald.schema;

/** An error code reported by a platform, with its optional subcode ({@code null} when absent). */
public record PlatformError(long code, Long subcode) {}
