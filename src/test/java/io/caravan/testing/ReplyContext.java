package io.caravan.testing;

/**
 * The facts about a request that shape its reply.
 *
 * @param model        the requested model, echoed back
 * @param stream       whether the request asked for an event stream
 * @param includeUsage whether an OpenAI stream must end with a usage chunk ({@code stream_options.include_usage})
 * @param inputTokens  the prompt size the fake reports
 * @param requestId    the id the provider's request-id header and error bodies carry
 * @param includeThoughts whether the answer carries the model's thoughts (Gemini's
 *                        {@code thinkingConfig.includeThoughts})
 */
record ReplyContext(String model, boolean stream, boolean includeUsage, int inputTokens, String requestId,
                    boolean includeThoughts) {

    static ReplyContext of(RecordedRequest request, String requestId) {
        boolean includeUsage = request.json() != null
                && request.json().path("stream_options").path("include_usage").asBoolean(false);
        String model = request.model() == null ? "unknown-model" : request.model();
        return new ReplyContext(model, request.streamRequested(), includeUsage, estimateTokens(request.body()),
                requestId, false);
    }

    /** A deterministic token count for a request body: one token per four characters, at least one. */
    static int estimateTokens(String body) {
        return Math.max(1, (body.length() + 3) / 4);
    }
}
