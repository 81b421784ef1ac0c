package io.caravan.clients;

/**
 * What one client used, as the limiter counts it (admitted requests; tokens, input + output, as answers complete):
 * in its current one-minute window, today and this month (UTC).
 *
 * @param budgetRemaining tokens left of the budget in its period, {@code null} when the client has no budget
 */
public record ClientUsageView(long minuteRequests, long minuteTokens, long dayRequests, long dayTokens,
        long monthRequests, long monthTokens, Long budgetRemaining) {
}
