package io.caravan.dialect.gemini;

import io.caravan.dialect.Refusal;
import java.util.Map;

/**
 * Why a Gemini embeddings request ({@code :embedContent}, {@code :batchEmbedContents}) is served by Gemini
 * credentials alone: shown to the caller only when the model is served by credentials of other kinds alone, instead
 * of calling the model unknown.
 */
final class GeminiEmbeddingsCheck {

    private static final String MODEL = "model";

    private GeminiEmbeddingsCheck() {
    }

    /** @param request the caller's parsed body, with the model the gate read from the path */
    static Refusal untranslatable(Map<String, Object> request) {
        return new Refusal("No credential serves embeddings for the model '" + request.get(MODEL) + "': the "
                + "credentials serving it are not of kind gemini, and embeddings are never translated to another "
                + "provider (the vectors of two models are not interchangeable).", null);
    }
}
