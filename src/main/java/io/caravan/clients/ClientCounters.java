package io.caravan.clients;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's counts: its one-minute window, its UTC day and month, its requests in flight. For a client with
 * limits every change happens under this object's monitor (admitting is a check and an update that must be one
 * step); for a client without limits the same atomics are updated without a lock, where a request that races a
 * window's or a day's rollover may be counted in the period it ended (those numbers are informational; the usage
 * database holds the exact record).
 */
final class ClientCounters {

    static final long WINDOW_MILLIS = 60_000;
    /** Far enough in the past that any instant is more than a window after it, and far from overflowing. */
    private static final long NO_WINDOW = Long.MIN_VALUE / 4;

    final AtomicLong windowStart = new AtomicLong(NO_WINDOW);
    final AtomicLong windowRequests = new AtomicLong();
    final AtomicLong windowTokens = new AtomicLong();
    final AtomicLong day = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong dayRequests = new AtomicLong();
    final AtomicLong dayTokens = new AtomicLong();
    /** Written only by the thread that moved {@link #day} on, so it changes with the day. */
    final AtomicLong month = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong monthRequests = new AtomicLong();
    final AtomicLong monthTokens = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();

    /** Starts a new window at {@code now} when the last one has ended (a window is a minute from its first event). */
    void rollWindow(long now) {
        long start = windowStart.get();
        if (now - start >= WINDOW_MILLIS && windowStart.compareAndSet(start, now)) {
            windowRequests.set(0);
            windowTokens.set(0);
        }
    }

    /** Moves the day, and the month with it, on to the ones holding {@code now}; never back. */
    void rollCalendar(long now) {
        long today = BudgetPeriod.epochDay(now);
        long last = day.get();
        if (today > last && day.compareAndSet(last, today)) {
            dayRequests.set(0);
            dayTokens.set(0);
            long thisMonth = BudgetPeriod.epochMonth(today);
            if (thisMonth != month.get()) {
                month.set(thisMonth);
                monthRequests.set(0);
                monthTokens.set(0);
            }
        }
    }

    void countRequest() {
        windowRequests.incrementAndGet();
        dayRequests.incrementAndGet();
        monthRequests.incrementAndGet();
    }

    void countTokens(long tokens) {
        windowTokens.addAndGet(tokens);
        dayTokens.addAndGet(tokens);
        monthTokens.addAndGet(tokens);
    }

    /** When the current window ends (meaningful once a window has started). */
    long windowEnd() {
        return windowStart.get() + WINDOW_MILLIS;
    }

    boolean windowOpenAt(long now) {
        long start = windowStart.get();
        return now - start < WINDOW_MILLIS;
    }
}
