package io.caravan.bench.scenario;

import io.caravan.bench.scenario.PathComparison.ComparedPath;
import io.caravan.bench.target.Dialect;
import io.caravan.bench.target.Gateway;
import java.util.List;

/**
 * Scenario 6 (issue 14): the Gemini paths through the gateway, compared as {@link PathComparison} does: a Gemini
 * request passed through to a Gemini credential (native), a Gemini request for a chat credential (translated to
 * Chat Completions), an OpenAI Chat Completions request for the Gemini credential (translated to Gemini); and, for
 * reference, the Chat Completions passthrough.
 */
public final class GeminiScenario {
    /** The paths, in report order; the first is the one the others are compared with. */
    public static final PathComparison PATHS = new PathComparison("gemini", List.of(
            new ComparedPath("native", "gemini → gemini (native)", Dialect.GEMINI, Gateway.GEMINI_MODEL,
                    Dialect.GEMINI),
            new ComparedPath("gemini_to_chat", "gemini → chat (translated)", Dialect.GEMINI, Gateway.OPENAI_MODEL,
                    Dialect.OPENAI),
            new ComparedPath("chat_to_gemini", "chat → gemini (translated)", Dialect.OPENAI, Gateway.GEMINI_MODEL,
                    Dialect.GEMINI),
            PathComparison.CHAT_SAME_DIALECT));

    private GeminiScenario() {
    }
}
