package io.caravan.clients;

import io.caravan.clients.Admission.Kind;
import io.caravan.dialect.TokenCounts;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the clients' limits in memory, for every dialect and endpoint of a key alike: token budgets per UTC day
 * or month, requests in flight, requests and tokens per minute. Thread-safe, and exact under concurrency: a client's
 * check and count happen in one step under its own monitor, so callers racing for the last slot are admitted exactly
 * as often as the limit allows. Clients without limits take no lock at all and cost the {@link Admission} only.
 *
 * <p>The per-minute limits count in a window of one minute that starts with the client's first request (or completed
 * answer) after its previous window ended. Not a sliding window: that would keep a time for every request of the
 * last minute (memory growing with the traffic, not with the clients) or only approximate it, where a fixed window
 * is two numbers, gives an exact reset time for {@code Retry-After} and {@code x-ratelimit-reset-*}, and is
 * deterministic to test. Starting it at the first request rather than on the clock's minute gives an idle client a
 * whole window at once.
 *
 * <p>Tokens count when an answer completes (input + output, from its usage), so a request is admitted on the tokens
 * already spent: the per-minute and budget limits refuse once they are reached, and the answer that crosses them
 * finishes.
 */
public final class ClientLimiter {

    /** When a request is refused for concurrency, retry after this: a slot frees when any answer ends. */
    public static final long CONCURRENCY_RETRY_MILLIS = 1000;

    private final ConcurrentHashMap<String, ClientCounters> clients = new ConcurrentHashMap<>();

    /**
     * Admits a request of {@code client} at {@code nowMillis} or refuses it, checking in this order: the budget,
     * the requests in flight, the requests of the window, the tokens of the window. A granted admission holds a
     * concurrency slot and is counted as a request; give it back with {@link #complete}. A refused one is not
     * counted.
     */
    public Admission admit(ClientSpec client, long nowMillis) {
        ClientCounters counters = counters(client.name());
        ClientLimits limits = client.limits();
        if (limits.isNone()) {
            counters.rollWindow(nowMillis);
            counters.rollCalendar(nowMillis);
            counters.countRequest();
            return new Admission(counters, client.name(), Kind.GRANTED, 0, false, false, Admission.UNSET, 0, 0,
                    Admission.UNSET, 0, 0);
        }
        synchronized (counters) {
            counters.rollWindow(nowMillis);
            counters.rollCalendar(nowMillis);
            Kind kind = Kind.GRANTED;
            long retryAfter = 0;
            long windowLeft = counters.windowEnd() - nowMillis;
            if (limits.hasBudget() && periodTokens(counters, limits.budgetPeriod()) >= limits.budgetTokens()) {
                kind = Kind.BUDGET;
                retryAfter = limits.budgetPeriod().nextStartMillis(nowMillis) - nowMillis;
            } else if (limits.maxConcurrent() != null && counters.inFlight.get() >= limits.maxConcurrent()) {
                kind = Kind.CONCURRENCY;
                retryAfter = CONCURRENCY_RETRY_MILLIS;
            } else if (limits.requestsPerMinute() != null
                    && counters.windowRequests.get() >= limits.requestsPerMinute()) {
                kind = Kind.REQUESTS;
                retryAfter = windowLeft;
            } else if (limits.tokensPerMinute() != null && counters.windowTokens.get() >= limits.tokensPerMinute()) {
                kind = Kind.TOKENS;
                retryAfter = windowLeft;
            }
            boolean granted = kind == Kind.GRANTED;
            if (granted) {
                counters.inFlight.incrementAndGet();
                counters.countRequest();
            }
            long rpm = limits.requestsPerMinute() == null ? Admission.UNSET : limits.requestsPerMinute();
            long tpm = limits.tokensPerMinute() == null ? Admission.UNSET : limits.tokensPerMinute();
            return new Admission(counters, client.name(), kind, retryAfter, true, granted,
                    rpm, Math.max(0, rpm - counters.windowRequests.get()), windowLeft,
                    tpm, Math.max(0, tpm - counters.windowTokens.get()), windowLeft);
        }
    }

    /**
     * The request of a granted admission has ended: its slot is free and its tokens ({@link TokenCounts#total()})
     * count in the client's window (a new one when the last has ended), day and month at {@code nowMillis}. A second
     * call, or a call for a refused admission, does nothing. (The gateway charges tokens as an answer reports them,
     * with {@link #charge}, and frees the slot with {@link #release}; this does both at once.)
     */
    public void complete(Admission admission, TokenCounts tokens, long nowMillis) {
        if (release(admission)) {
            charge(admission, tokens == null ? 0 : tokens.total(), nowMillis);
        }
    }

    /**
     * Frees the slot of a granted admission, the first time only: as soon as its answer is written, so that a
     * caller's next request, sent the moment it has the answer, finds the slot free.
     *
     * @return whether this call freed it (false for a refused admission, or one freed already)
     */
    public boolean release(Admission admission) {
        if (!admission.granted() || !admission.complete()) {
            return false;
        }
        if (admission.limited && admission.holdsSlot) {
            ClientCounters counters = admission.counters;
            synchronized (counters) {
                counters.inFlight.decrementAndGet();
            }
        }
        return true;
    }

    /**
     * Counts {@code tokens} of a granted admission's answer in the client's window, day and month at
     * {@code nowMillis}, whether its slot is still held or not: an answer's tokens are charged as its upstream reports
     * them, before the caller has the answer's end, so that the next request already sees them.
     */
    public void charge(Admission admission, long tokens, long nowMillis) {
        if (!admission.granted() || tokens <= 0) {
            return;
        }
        ClientCounters counters = admission.counters;
        if (!admission.limited) {
            addTokens(counters, tokens, nowMillis);
            return;
        }
        synchronized (counters) {
            addTokens(counters, tokens, nowMillis);
        }
    }

    /** What {@code client} used, as of {@code nowMillis}: the numbers of {@code GET /caravan/v1/me}. */
    public ClientUsageView usage(ClientSpec client, long nowMillis) {
        ClientCounters counters = clients.get(client.name());
        ClientLimits limits = client.limits();
        if (counters == null) {
            return new ClientUsageView(0, 0, 0, 0, 0, 0, limits.hasBudget() ? limits.budgetTokens() : null);
        }
        synchronized (counters) {
            boolean window = counters.windowOpenAt(nowMillis);
            long today = BudgetPeriod.epochDay(nowMillis);
            boolean day = counters.day.get() == today;
            boolean month = counters.month.get() == BudgetPeriod.epochMonth(today);
            long dayTokens = day ? counters.dayTokens.get() : 0;
            long monthTokens = month ? counters.monthTokens.get() : 0;
            Long remaining = null;
            if (limits.hasBudget()) {
                long spent = limits.budgetPeriod() == BudgetPeriod.DAY ? dayTokens : monthTokens;
                remaining = Math.max(0, limits.budgetTokens() - spent);
            }
            return new ClientUsageView(
                    window ? counters.windowRequests.get() : 0, window ? counters.windowTokens.get() : 0,
                    day ? counters.dayRequests.get() : 0, dayTokens,
                    month ? counters.monthRequests.get() : 0, monthTokens,
                    remaining);
        }
    }

    /**
     * Adds what the usage database holds for {@code client} today and this month (UTC, as of {@code nowMillis}), so
     * that a restart does not give a spent budget back. Called at start, before requests.
     */
    public void restore(String client, long dayTokens, long dayRequests, long monthTokens, long monthRequests,
            long nowMillis) {
        ClientCounters counters = counters(client);
        synchronized (counters) {
            counters.rollCalendar(nowMillis);
            counters.dayTokens.addAndGet(dayTokens);
            counters.dayRequests.addAndGet(dayRequests);
            counters.monthTokens.addAndGet(monthTokens);
            counters.monthRequests.addAndGet(monthRequests);
        }
    }

    /** Drops the counts of a client that is gone; an admission it still holds completes harmlessly. */
    public void forget(String client) {
        clients.remove(client);
    }

    /** How many clients have counts: at most the clients there are (and were, until {@link #forget}). */
    public int trackedClients() {
        return clients.size();
    }

    private ClientCounters counters(String client) {
        ClientCounters counters = clients.get(client);
        return counters != null ? counters : clients.computeIfAbsent(client, name -> new ClientCounters());
    }

    private static void addTokens(ClientCounters counters, long tokens, long nowMillis) {
        counters.rollWindow(nowMillis);
        counters.rollCalendar(nowMillis);
        counters.countTokens(tokens);
    }

    private static long periodTokens(ClientCounters counters, BudgetPeriod period) {
        return period == BudgetPeriod.DAY ? counters.dayTokens.get() : counters.monthTokens.get();
    }
}
