package io.caravan.dialect;

/**
 * The knobs of translation the gateway can configure.
 *
 * @param defaultMaxTokens     the {@code max_tokens} sent to Anthropic when an OpenAI caller gives no limit
 *                             (Anthropic requires one; OpenAI does not)
 * @param lowThinkingBudget    Anthropic {@code thinking.budget_tokens} for {@code reasoning_effort} "low" (and
 *                             "minimal"); at least 1024, Anthropic's minimum
 * @param mediumThinkingBudget the budget for "medium" (and for effort names this code does not know)
 * @param highThinkingBudget   the budget for "high" (and "xhigh")
 * @param omitUnservableTools  whether a tool the target cannot carry (a hosted tool such as {@code web_search}) is
 *                             left out of the translated request instead of refusing the request with a 400
 * @param cacheBreakpoints     whether a request translated to Anthropic gets prompt-cache breakpoints placed by the
 *                             gateway (on its tools, system prompt and conversation) when the caller placed none:
 *                             Anthropic caches only up to a breakpoint, and the other dialects have no way to ask
 */
public record TranslationSettings(int defaultMaxTokens, int lowThinkingBudget, int mediumThinkingBudget,
                                  int highThinkingBudget, boolean omitUnservableTools, boolean cacheBreakpoints) {

    /** The smallest thinking budget a target accepts (Anthropic's minimum, the strictest of the dialects). */
    public static final int MIN_THINKING_BUDGET = 1024;

    private static final String EFFORT_NONE = "none";
    private static final String EFFORT_MINIMAL = "minimal";
    private static final String EFFORT_LOW = "low";
    private static final String EFFORT_MEDIUM = "medium";
    private static final String EFFORT_HIGH = "high";
    private static final String EFFORT_XHIGH = "xhigh";

    /** Settings that refuse what cannot be carried. */
    public TranslationSettings(int defaultMaxTokens, int lowThinkingBudget, int mediumThinkingBudget,
                               int highThinkingBudget) {
        this(defaultMaxTokens, lowThinkingBudget, mediumThinkingBudget, highThinkingBudget, false);
    }

    /** Settings that place no cache breakpoints of the gateway's own. */
    public TranslationSettings(int defaultMaxTokens, int lowThinkingBudget, int mediumThinkingBudget,
                               int highThinkingBudget, boolean omitUnservableTools) {
        this(defaultMaxTokens, lowThinkingBudget, mediumThinkingBudget, highThinkingBudget, omitUnservableTools, false);
    }

    public TranslationSettings {
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be positive, got " + defaultMaxTokens);
        }
        if (lowThinkingBudget < MIN_THINKING_BUDGET) {
            throw new IllegalArgumentException("lowThinkingBudget must be at least " + MIN_THINKING_BUDGET
                    + " (Anthropic's minimum), got " + lowThinkingBudget);
        }
        if (mediumThinkingBudget < lowThinkingBudget || highThinkingBudget < mediumThinkingBudget) {
            throw new IllegalArgumentException("thinking budgets must not decrease from low to medium to high, got "
                    + lowThinkingBudget + "/" + mediumThinkingBudget + "/" + highThinkingBudget);
        }
    }

    /** The Anthropic thinking budget for an OpenAI {@code reasoning_effort}; 0 means "do not think". */
    public int thinkingBudget(String reasoningEffort) {
        if (reasoningEffort == null || EFFORT_NONE.equals(reasoningEffort)) {
            return 0;
        }
        return switch (reasoningEffort) {
            case EFFORT_MINIMAL, EFFORT_LOW -> lowThinkingBudget;
            case EFFORT_HIGH, EFFORT_XHIGH -> highThinkingBudget;
            // the caller asked for reasoning in words we do not know: give it the middle budget
            default -> mediumThinkingBudget;
        };
    }

    /** The OpenAI {@code reasoning_effort} closest to an Anthropic thinking budget: the smallest level that covers it. */
    public String reasoningEffort(int budgetTokens) {
        if (budgetTokens <= lowThinkingBudget) {
            return EFFORT_LOW;
        }
        return budgetTokens <= mediumThinkingBudget ? EFFORT_MEDIUM : EFFORT_HIGH;
    }
}
