package io.caravan.dialect.openai;

import io.caravan.dialect.Refusal;
import java.util.List;
import java.util.Map;

/**
 * What the gateway checks of an OpenAI embeddings request ({@code POST /v1/embeddings}) before any credential is
 * leased: that it has an {@code input} to embed (a missing one is the caller's mistake, refused at once rather than
 * costing an upstream call), and why no credential of another kind may serve it.
 */
final class EmbeddingsRequestCheck {

    static final String INPUT = "input";
    private static final String MODEL = "model";
    /** OpenAI's codes for these mistakes, as its own API answers them. */
    private static final String MISSING_REQUIRED_PARAMETER = "missing_required_parameter";
    private static final String INVALID_TYPE = "invalid_type";
    private static final String EMPTY = "empty_array";

    private EmbeddingsRequestCheck() {
    }

    /** Why the request is malformed, or {@code null}: {@code input} is a non-empty string or array. */
    static Refusal invalid(Map<String, Object> request) {
        Object input = request.get(INPUT);
        if (input == null) {
            return new Refusal("Missing required parameter: 'input'. Give the text to embed as a string, or a batch "
                    + "as an array of strings (or of token arrays).", MISSING_REQUIRED_PARAMETER);
        }
        if (input instanceof List<?> batch) {
            return batch.isEmpty() ? new Refusal("Invalid 'input': empty array. Expected at least one input to embed.",
                    EMPTY) : null;
        }
        if (!(input instanceof String)) {
            return new Refusal("Invalid type for 'input': expected a string or an array of strings (or of token "
                    + "arrays).", INVALID_TYPE);
        }
        return null;
    }

    /**
     * Every embeddings request stays with OpenAI-kind credentials: shown to the caller only when the model is served
     * by credentials of other kinds alone, instead of calling the model unknown.
     */
    static Refusal untranslatable(Map<String, Object> request) {
        return new Refusal("No credential serves embeddings for the model '" + request.get(MODEL) + "': the "
                + "credentials serving it are not of kind openai, and embeddings are never translated to another "
                + "provider (the vectors of two models are not interchangeable).", null);
    }
}
