package io.caravan.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.caravan.dialect.Dialect;
import io.caravan.dialects.Dialects;
import io.caravan.pool.CooldownPolicy;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.CredentialSpec;
import io.caravan.pool.Lease;
import io.caravan.pool.ModelRule;
import io.caravan.pool.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sessions' map on its own, with a clock the test moves: its count bound, its idle time-out, its leases. */
class SessionAffinityTest {

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final Set<Dialect> OPENAI = Set.of(Dialects.OPENAI);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CredentialPool pool = new CredentialPool(List.of(spec("a"), spec("b")),
            new CooldownPolicy(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1)),
            0);
    private final Credential a = pool.credential("a");
    private final Credential b = pool.credential("b");

    private static CredentialSpec spec(String name) {
        return new CredentialSpec(name, Dialects.OPENAI, "https://upstream.example", "key-" + name,
                List.of(ModelRule.exactOrWildcard("m")), 8, true);
    }

    private SessionAffinity affinity(int maxSessions, int stripes) {
        return new SessionAffinity(maxSessions, IDLE, now::get, stripes);
    }

    private static SessionKey session(String id) {
        return SessionKey.of("client", id);
    }

    @Test
    void theLeastRecentlyUsedSessionIsForgottenPastTheBound() {
        SessionAffinity sessions = affinity(3, 1);
        sessions.served(session("one"), a);
        sessions.served(session("two"), a);
        sessions.served(session("three"), b);
        assertSame(a, sessions.credentialOf(session("one")), "used again: now the most recent");

        sessions.served(session("four"), b);

        assertEquals(3, sessions.size());
        assertNull(sessions.credentialOf(session("two")), "the least recently used went");
        assertSame(a, sessions.credentialOf(session("one")));
        assertSame(b, sessions.credentialOf(session("three")));
        assertSame(b, sessions.credentialOf(session("four")));
    }

    @Test
    void stripedTheBoundHoldsForTheWholeMap() {
        SessionAffinity sessions = affinity(4096, 4);
        for (int i = 0; i < 20_000; i++) {
            sessions.served(session("s" + i), i % 2 == 0 ? a : b);
        }
        assertEquals(4096, sessions.size(), "every stripe full, none beyond its share");
        assertSame(b, sessions.credentialOf(session("s19999")), "the newest is kept");
        assertNull(sessions.credentialOf(session("s0")), "the oldest is not");
    }

    @Test
    void aSessionUnusedForTheIdleTimeOutIsForgotten() {
        SessionAffinity sessions = affinity(100, 1);
        sessions.served(session("idle"), a);
        sessions.served(session("busy"), b);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(IDLE.toNanos() / 2);
            assertSame(b, sessions.credentialOf(session("busy")), "each use restarts its idle time");
        }
        assertEquals(1, sessions.size(), "the idle one is not counted");
        assertNull(sessions.credentialOf(session("idle")));

        now.addAndGet(IDLE.toNanos() - 1);
        assertSame(b, sessions.credentialOf(session("busy")), "just under the time-out");
        now.addAndGet(IDLE.toNanos());
        assertNull(sessions.credentialOf(session("busy")), "at the time-out");
        assertEquals(0, sessions.size());
    }

    @Test
    void aSessionFollowsTheCredentialThatServedItLast() {
        SessionAffinity sessions = affinity(100, 1);
        sessions.served(session("s"), a);
        sessions.served(session("s"), b);
        assertSame(b, sessions.credentialOf(session("s")));
        assertEquals(1, sessions.size());
        assertNull(sessions.credentialOf(SessionKey.of("other-client", "s")), "another client's session");
    }

    @Test
    void theKeptCredentialIsLeasedWhileItMayServe() {
        SessionAffinity sessions = affinity(100, 1);
        assertNull(sessions.leaseKept(session("s"), pool, "m", OPENAI, Set.of()), "a new session");
        assertNull(sessions.leaseKept(null, pool, "m", OPENAI, Set.of()), "no session");
        sessions.served(session("s"), b);

        Lease kept = sessions.leaseKept(session("s"), pool, "m", OPENAI, Set.of());
        assertNotNull(kept);
        assertSame(b, kept.credential());
        kept.release(Outcome.SUCCESS);
        assertNull(sessions.leaseKept(session("s"), pool, "m", OPENAI, Set.of(b)), "tried by this request");
        pool.leasePreferred(b, "m", OPENAI, Set.of()).release(Outcome.TRANSIENT_FAILURE);
        assertNull(sessions.leaseKept(session("s"), pool, "m", OPENAI, Set.of()), "cooling");
    }
}
