package io.caravan.bench.scenario;

import io.caravan.bench.scenario.PathComparison.ComparedPath;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Gateway;
import java.util.List;

/**
 * Scenario 5: POST /v1/responses through the gateway along its three paths, compared as {@link PathComparison}
 * does: passed through to a credential that serves the Responses API (native), translated to Chat Completions for
 * a chat credential, and translated through Chat Completions to Anthropic Messages; and, for reference, the Chat
 * Completions passthrough.
 */
public final class ResponsesScenario {
    /**
     * The paths, in report order; the first is the one the others are compared with. The last is not a Responses
     * path: Chat Completions passed through, measured here too so that native Responses passthrough can be compared
     * with the same-dialect chat path on the same machine, minutes apart.
     */
    public static final PathComparison PATHS = new PathComparison("responses", List.of(
            new ComparedPath("native", "responses → responses (native)", Dialect.RESPONSES, Gateway.RESPONSES_MODEL,
                    Dialect.RESPONSES),
            new ComparedPath("chat", "responses → chat (translated)", Dialect.RESPONSES, Gateway.OPENAI_MODEL,
                    Dialect.OPENAI),
            new ComparedPath("anthropic", "responses → chat → anthropic (translated twice)", Dialect.RESPONSES,
                    Gateway.ANTHROPIC_MODEL, Dialect.ANTHROPIC),
            PathComparison.CHAT_SAME_DIALECT));

    private ResponsesScenario() {
    }
}
