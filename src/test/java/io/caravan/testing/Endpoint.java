package io.caravan.testing;

/** The provider endpoints the fake serves. */
enum Endpoint {
    /** {@code POST /v1/chat/completions} or {@code POST /v1/messages}. */
    COMPLETION,
    /** {@code POST /v1/messages/count_tokens} (Anthropic) or {@code :countTokens} (Gemini). */
    COUNT_TOKENS,
    /** {@code GET /v1/models}. */
    MODELS,
    /** Gemini {@code :embedContent} and {@code :batchEmbedContents}, OpenAI {@code POST /v1/embeddings}. */
    EMBEDDINGS;

    /** Whether a reply of this scope may answer a request to this endpoint. */
    boolean accepts(Reply.Scope scope) {
        return switch (scope) {
            case ANY -> this != MODELS;
            case COMPLETION -> this == COMPLETION;
            case COUNT_TOKENS -> this == COUNT_TOKENS;
        };
    }
}
