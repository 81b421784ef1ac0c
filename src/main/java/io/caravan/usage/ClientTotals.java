package io.caravan.usage;

/** What one client used since the start of a day and of a month: tokens count {@code input + output}. */
public record ClientTotals(long dayTokens, long dayRequests, long monthTokens, long monthRequests) {

    public static final ClientTotals NONE = new ClientTotals(0, 0, 0, 0);
}
