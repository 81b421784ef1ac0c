package io.caravan.clients;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * What one client may use; every field is optional ({@code null}: no such limit). The budget is a number of tokens
 * (input + output) per UTC {@link BudgetPeriod}; its two fields come together or not at all.
 */
public record ClientLimits(Integer requestsPerMinute, Long tokensPerMinute, Integer maxConcurrent, Long budgetTokens,
        BudgetPeriod budgetPeriod) {

    /** No limit at all: what legacy keys and clients without {@code limits} get. */
    public static final ClientLimits NONE = new ClientLimits(null, null, null, null, null);

    public static final String REQUESTS_PER_MINUTE = "requests-per-minute";
    public static final String TOKENS_PER_MINUTE = "tokens-per-minute";
    public static final String MAX_CONCURRENT = "max-concurrent";
    public static final String BUDGET = "budget";
    public static final String BUDGET_TOKENS = "tokens";
    public static final String BUDGET_PER = "per";
    private static final Set<String> FIELDS = Set.of(REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, MAX_CONCURRENT, BUDGET);
    private static final Set<String> BUDGET_FIELDS = Set.of(BUDGET_TOKENS, BUDGET_PER);
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClientLimits {
        positive(REQUESTS_PER_MINUTE, requestsPerMinute);
        positive(TOKENS_PER_MINUTE, tokensPerMinute);
        positive(MAX_CONCURRENT, maxConcurrent);
        positive(BUDGET + " " + BUDGET_TOKENS, budgetTokens);
        if ((budgetTokens == null) != (budgetPeriod == null)) {
            throw new IllegalArgumentException("a budget needs both its tokens and its period (per: day | month)");
        }
    }

    public boolean isNone() {
        return requestsPerMinute == null && tokensPerMinute == null && maxConcurrent == null && budgetTokens == null;
    }

    public boolean hasBudget() {
        return budgetTokens != null;
    }

    /**
     * The limits as JSON in the clients file's own names, e.g. {@code {"requests-per-minute":60,
     * "budget":{"tokens":5000000,"per":"month"}}}; absent limits are left out ({@code {}} for {@link #NONE}).
     */
    public String toJson() {
        return toJsonNode().toString();
    }

    /** As {@link #toJson()}, as a tree. */
    public ObjectNode toJsonNode() {
        ObjectNode node = JSON.createObjectNode();
        if (requestsPerMinute != null) {
            node.put(REQUESTS_PER_MINUTE, requestsPerMinute);
        }
        if (tokensPerMinute != null) {
            node.put(TOKENS_PER_MINUTE, tokensPerMinute);
        }
        if (maxConcurrent != null) {
            node.put(MAX_CONCURRENT, maxConcurrent);
        }
        if (budgetTokens != null) {
            node.putObject(BUDGET).put(BUDGET_TOKENS, budgetTokens).put(BUDGET_PER, budgetPeriod.id());
        }
        return node;
    }

    /**
     * Reads what {@link #toJson()} wrote (or an admin API body's {@code limits}).
     *
     * @throws IllegalArgumentException naming the field that is unknown, not a positive whole number, or missing
     */
    public static ClientLimits fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("limits are not valid JSON: " + e.getOriginalMessage());
        }
        return fromJson(node);
    }

    /** As {@link #fromJson(String)}, from a parsed node ({@code null} or JSON null: {@link #NONE}). */
    public static ClientLimits fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("limits must be a JSON object");
        }
        checkFields(node, FIELDS, "limits");
        Long budgetTokens = null;
        BudgetPeriod budgetPeriod = null;
        JsonNode budget = node.get(BUDGET);
        if (budget != null && !budget.isNull()) {
            if (!budget.isObject()) {
                throw new IllegalArgumentException("'" + BUDGET + "' must be an object {tokens, per}");
            }
            checkFields(budget, BUDGET_FIELDS, BUDGET);
            budgetTokens = whole(budget, BUDGET_TOKENS);
            JsonNode per = budget.get(BUDGET_PER);
            if (per == null || !per.isTextual()) {
                throw new IllegalArgumentException("'" + BUDGET + "." + BUDGET_PER + "' must be \"day\" or \"month\"");
            }
            budgetPeriod = BudgetPeriod.fromId(per.asText());
            if (budgetTokens == null) {
                throw new IllegalArgumentException("'" + BUDGET + "." + BUDGET_TOKENS + "' is missing");
            }
        }
        Long rpm = whole(node, REQUESTS_PER_MINUTE);
        Long maxConcurrent = whole(node, MAX_CONCURRENT);
        return new ClientLimits(toInt(REQUESTS_PER_MINUTE, rpm), whole(node, TOKENS_PER_MINUTE),
                toInt(MAX_CONCURRENT, maxConcurrent), budgetTokens, budgetPeriod);
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String what) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "' in " + what + " (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private static Long whole(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number, got " + value);
        }
        return value.longValue();
    }

    private static Integer toInt(String field, Long value) {
        if (value == null) {
            return null;
        }
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + field + "' must be at most " + Integer.MAX_VALUE + ", got " + value);
        }
        return value.intValue();
    }

    private static void positive(String field, Number value) {
        if (value != null && value.longValue() < 1) {
            throw new IllegalArgumentException("'" + field + "' must be at least 1, got " + value);
        }
    }
}
