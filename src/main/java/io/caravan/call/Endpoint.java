package io.caravan.call;

import io.caravan.dialect.Dialect;

/** The caller-facing operations that go to an upstream, with the dialect each speaks. */
public enum Endpoint {
    OPENAI_CHAT(Dialect.OPENAI, "chat.completions"),
    ANTHROPIC_MESSAGES(Dialect.ANTHROPIC, "messages"),
    ANTHROPIC_COUNT_TOKENS(Dialect.ANTHROPIC, "messages.count_tokens");

    private final Dialect dialect;
    private final String logName;

    Endpoint(Dialect dialect, String logName) {
        this.dialect = dialect;
        this.logName = logName;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String logName() {
        return logName;
    }

    /**
     * The upstream path appended to a credential's base URL. OpenAI-kind base URLs include the version segment
     * ({@code https://api.openai.com/v1}); Anthropic-kind base URLs do not ({@code https://api.anthropic.com}),
     * as each provider's own SDK expects.
     */
    public String upstreamPath(Dialect upstreamKind) {
        if (upstreamKind == Dialect.OPENAI) {
            return "/chat/completions";
        }
        return this == ANTHROPIC_COUNT_TOKENS ? "/v1/messages/count_tokens" : "/v1/messages";
    }
}
