package dev.herald.schema;

/** An approved WhatsApp message template. */
public record Template(String name, String language, Category category) {}
