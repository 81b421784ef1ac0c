package io.caravan.component;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialects.Dialects;

/**
 * The gateway APIs a {@code caravan:} endpoint may call, each the endpoint of one dialect that an HTTP caller would
 * post to: the request is in that dialect, and so is the answer.
 */
public enum CaravanApi {

    /** OpenAI Chat Completions ({@code POST /v1/chat/completions}). */
    CHAT(Dialects.OPENAI, Operation.CHAT),
    /** Anthropic Messages ({@code POST /v1/messages}). */
    MESSAGES(Dialects.ANTHROPIC, Operation.CHAT),
    /** OpenAI Responses ({@code POST /v1/responses}). */
    RESPONSES(Dialects.RESPONSES, Operation.CHAT),
    /** OpenAI Embeddings ({@code POST /v1/embeddings}). */
    EMBEDDINGS(Dialects.OPENAI, Operation.EMBED),
    /** Gemini {@code generateContent}, or {@code streamGenerateContent} when streamed; the model is the endpoint's. */
    GEMINI(Dialects.GEMINI, Operation.CHAT);

    private final Dialect dialect;
    private final Operation operation;

    CaravanApi(Dialect dialect, Operation operation) {
        this.dialect = dialect;
        this.operation = operation;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Whether answers can be streamed, with a stream flag in the body or (Gemini) by the endpoint. */
    public boolean streamable() {
        return operation.streamable();
    }

    /**
     * The gateway endpoint a request goes to: for Gemini, whose path says whether to stream, the streaming one when
     * {@code stream}; the first one the dialect declares (Gemini's {@code v1beta}) when there are several.
     */
    public Endpoint endpoint(boolean stream) {
        for (Endpoint endpoint : dialect.endpoints()) {
            if (endpoint.operation() == operation && (dialect.modelInBody() || endpoint.streams() == stream)) {
                return endpoint;
            }
        }
        throw new IllegalStateException("the " + dialect.id() + " dialect declares no " + operation + " endpoint");
    }
}
