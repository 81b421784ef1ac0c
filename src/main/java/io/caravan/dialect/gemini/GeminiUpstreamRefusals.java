package io.caravan.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonTrees;
import io.caravan.dialect.TranslationRefused;

/**
 * The 400s of the translation towards a Gemini upstream, written as Gemini would write them ({@code google.rpc.Status}
 * with an {@code ErrorInfo} detail whose reason is the gateway's), so that they reach the caller through the same
 * error translation as Gemini's own errors. The reasons become the caller's OpenAI {@code error.code}.
 */
final class GeminiUpstreamRefusals {

    static final int STATUS = 400;
    /** A parameter the caller may send, which Gemini has no counterpart for. */
    static final String UNSUPPORTED_PARAMETER = "UNSUPPORTED_PARAMETER";
    /** A value Gemini cannot take in the form the caller gave it. */
    static final String INVALID_VALUE = "INVALID_VALUE";

    private GeminiUpstreamRefusals() {
    }

    static TranslationRefused unsupported(String message) {
        return refused(UNSUPPORTED_PARAMETER, message);
    }

    static TranslationRefused invalid(String message) {
        return refused(INVALID_VALUE, message);
    }

    /** A prompt Gemini's safety filters blocked: an answer without candidates, which the caller gets as an error. */
    static TranslationRefused promptBlocked(String message) {
        return refused(GeminiWire.REASON_PROMPT_BLOCKED, message);
    }

    /** The body Gemini would write for this refusal, also for the in-band error of a stream. */
    static ObjectNode body(String reason, String message) {
        ObjectNode body = GeminiDialect.errorBody(STATUS, message, null);
        ((ObjectNode) body.get(GeminiWire.ERROR)).putArray(GeminiWire.DETAILS).addObject()
                .put(GeminiWire.TYPE_URL, GeminiWire.ERROR_INFO_TYPE)
                .put(GeminiWire.REASON, reason)
                .put(GeminiWire.DOMAIN, GeminiWire.GATEWAY_DOMAIN);
        return body;
    }

    private static TranslationRefused refused(String reason, String message) {
        return new TranslationRefused(STATUS, JsonTrees.write(body(reason, message)), message);
    }
}
