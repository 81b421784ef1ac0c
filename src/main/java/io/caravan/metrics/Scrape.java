package io.caravan.metrics;

/** What {@code GET /metrics} answers: the exposition text and its content type. */
public record Scrape(String contentType, String body) {
}
