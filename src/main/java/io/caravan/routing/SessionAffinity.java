package io.caravan.routing;

import io.caravan.dialect.Dialect;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.Lease;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Session affinity: which credential served each session's latest request, so that the session's next request goes
 * there too while that credential may take it, and the provider's prompt cache for the session keeps hitting. When
 * it may not (failing, cooling, at its cap, gone), the request is served as any other and the session stays with
 * whichever credential serves it: a session moves once and sticks, it does not bounce back.
 *
 * <p>Bounded in count ({@code caravan.affinity.max-sessions}: the least recently used session goes first) and in
 * time ({@code caravan.affinity.idle-timeout-ms}: a session unused that long is forgotten). The sessions are spread
 * over lock stripes, each an access-ordered map whose eldest entry is its least recently used one, so a request costs
 * one short lock of one stripe and forgetting idle sessions only ever looks at entries it removes, plus one.
 */
public final class SessionAffinity {

    /** A stripe is split no finer than this many sessions, so that a small bound stays an exact LRU. */
    private static final int MIN_SESSIONS_PER_STRIPE = 1024;
    private static final int MAX_STRIPES = 64;

    private final Stripe[] stripes;
    private final int stripeMask;
    private final long idleNanos;
    private final LongSupplier nanoClock;

    /**
     * @param maxSessions the most sessions remembered at once (at least 1)
     * @param idleTimeout a session unused for this long is forgotten
     */
    public SessionAffinity(int maxSessions, Duration idleTimeout) {
        this(maxSessions, idleTimeout, System::nanoTime, stripesFor(maxSessions));
    }

    /**
     * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()} counts it
     * @param stripeCount a power of two; each stripe holds {@code maxSessions / stripeCount} sessions at most
     */
    SessionAffinity(int maxSessions, Duration idleTimeout, LongSupplier nanoClock, int stripeCount) {
        if (maxSessions < 1 || Integer.bitCount(stripeCount) != 1 || stripeCount > maxSessions) {
            throw new IllegalArgumentException("max sessions " + maxSessions + ", stripes " + stripeCount);
        }
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(maxSessions / stripeCount);
        }
        this.stripeMask = stripeCount - 1;
        this.idleNanos = idleTimeout.toNanos();
        this.nanoClock = nanoClock;
    }

    private static int stripesFor(int maxSessions) {
        int wanted = Math.min(MAX_STRIPES, Math.max(1, maxSessions / MIN_SESSIONS_PER_STRIPE));
        return Integer.highestOneBit(wanted);
    }

    /**
     * Leases the session's credential when it may serve this request ({@link CredentialPool#leasePreferred});
     * {@code null} when the request names no session, the session is new or idle past its time-out, or its
     * credential may not serve it now.
     */
    public Lease leaseKept(SessionKey session, CredentialPool pool, String model, Set<Dialect> kinds,
            Set<Credential> exclude) {
        if (session == null) {
            return null;
        }
        Credential kept = credentialOf(session);
        return kept == null ? null : pool.leasePreferred(kept, model, kinds, exclude);
    }

    /** The session's request was leased {@code credential}: the session stays with it. */
    public void served(SessionKey session, Credential credential) {
        if (session == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        Stripe stripe = stripeOf(session);
        synchronized (stripe) {
            Kept kept = stripe.get(session);
            if (kept == null) {
                stripe.put(session, new Kept(credential, now));
            } else {
                kept.credential = credential;
                kept.lastUsedNanos = now;
            }
            stripe.forgetIdle(now, idleNanos);
        }
    }

    /** The credential that served the session's latest request, {@code null} when none is remembered. */
    Credential credentialOf(SessionKey session) {
        long now = nanoClock.getAsLong();
        Stripe stripe = stripeOf(session);
        synchronized (stripe) {
            Kept kept = stripe.get(session);
            if (kept == null) {
                return null;
            }
            if (now - kept.lastUsedNanos >= idleNanos) {
                stripe.remove(session);
                return null;
            }
            kept.lastUsedNanos = now;
            return kept.credential;
        }
    }

    /** How many sessions are remembered now, those idle past their time-out forgotten first. */
    public int size() {
        long now = nanoClock.getAsLong();
        int total = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                stripe.forgetIdle(now, idleNanos);
                total += stripe.size();
            }
        }
        return total;
    }

    private Stripe stripeOf(SessionKey session) {
        int h = session.hashCode();
        return stripes[(h ^ (h >>> 16)) & stripeMask];
    }

    /** A session's credential and when the session last used it; guarded by its stripe. */
    private static final class Kept {
        Credential credential;
        long lastUsedNanos;

        Kept(Credential credential, long lastUsedNanos) {
            this.credential = credential;
            this.lastUsedNanos = lastUsedNanos;
        }
    }

    /**
     * Sessions in access order, least recently used first. Every access also stamps the session with the time, so
     * the eldest is also the longest idle and forgetting idle sessions stops at the first one still in use.
     */
    private static final class Stripe extends LinkedHashMap<SessionKey, Kept> {

        private static final long serialVersionUID = 1L;
        private final int capacity;

        Stripe(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<SessionKey, Kept> eldest) {
            return size() > capacity;
        }

        void forgetIdle(long now, long idleNanos) {
            Iterator<Kept> eldestFirst = values().iterator();
            while (eldestFirst.hasNext() && now - eldestFirst.next().lastUsedNanos >= idleNanos) {
                eldestFirst.remove();
            }
        }
    }
}
