package io.caravan.dialect;

/**
 * Why the gateway refuses a well-formed request (HTTP 400): something in it no credential can honour.
 *
 * @param message what the caller reads: what was refused and why
 * @param code    a machine-readable code for the dialects that have codes (OpenAI's {@code error.code}), or
 *                {@code null}
 */
public record Refusal(String message, String code) {
}
