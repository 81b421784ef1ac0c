package io.caravan.dialect.gemini;

import io.caravan.dialect.Refusal;
import java.util.Map;

/**
 * What in a Gemini request no credential of another dialect can honour: such a request is served only by Gemini
 * credentials, and refused with a 400 saying why when only others serve its model.
 */
final class GeminiRequestCheck {

    private GeminiRequestCheck() {
    }

    static Refusal refusal(Map<String, Object> request) {
        if (request.get(GeminiWire.GENERATION_CONFIG) instanceof Map<?, ?> config
                && config.get(GeminiWire.CANDIDATE_COUNT) instanceof Number count && count.intValue() > 1) {
            return new Refusal("'generationConfig.candidateCount' above 1 is served only by Gemini credentials", null);
        }
        return null;
    }
}
