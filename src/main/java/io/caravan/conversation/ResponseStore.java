package io.caravan.conversation;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The answers the gateway keeps so that a later request can continue them ({@code previous_response_id}) or read
 * them back ({@code GET /v1/responses/{id}}): in memory, bounded by count, by bytes and by age, the oldest dropped
 * first when a bound is reached. A restart forgets them, as the README states; a follow-up to a forgotten answer is
 * told it is not found, never served without its history.
 *
 * <p>One lock guards the map: each operation is a few pointer moves, far from the upstream call it accompanies.
 */
public final class ResponseStore {

    /**
     * One kept answer.
     *
     * @param client       the client that made it: no other may read or continue it
     * @param credential   the credential that made it and alone holds it upstream, for an answer passed through
     *                     natively; {@code null} for one the gateway translated, which any credential can continue
     * @param answer       the whole answer as the caller received it (JSON)
     * @param conversation the conversation up to and including the answer, as input items (JSON array), for a
     *                     translated answer; {@code null} for a native one, whose history its credential keeps
     */
    public record Stored(String id, String client, String credential, byte[] answer, byte[] conversation,
                         long expiresAtNanos) {

        long bytes() {
            return answer.length + (conversation == null ? 0 : conversation.length) + id.length() * 2L + 64;
        }
    }

    private final int maxEntries;
    private final long maxBytes;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Stored> entries = new LinkedHashMap<>(16, 0.75f, false);
    private long bytes;

    public ResponseStore(int maxEntries, long maxBytes, Duration ttl) {
        this(maxEntries, maxBytes, ttl, System::nanoTime);
    }

    ResponseStore(int maxEntries, long maxBytes, Duration ttl, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Keeps an answer, replacing one with the same id. One larger than the whole byte bound is not kept: a later
     * request continuing it is told it is not found, as after its expiry.
     */
    public void put(String id, String client, String credential, byte[] answer, byte[] conversation) {
        Stored stored = new Stored(id, client, credential, answer, conversation, nanoClock.getAsLong() + ttlNanos);
        if (maxEntries == 0 || stored.bytes() > maxBytes) {
            return;
        }
        synchronized (entries) {
            Stored replaced = entries.remove(id);
            if (replaced != null) {
                bytes -= replaced.bytes();
            }
            entries.put(id, stored);
            bytes += stored.bytes();
            evict(nanoClock.getAsLong());
        }
    }

    /**
     * The answer kept under {@code id} for {@code client}, or {@code null} when none is (never kept, expired, dropped,
     * deleted, or another client's: which is not told apart, so that ids of others cannot be probed).
     */
    public Stored find(String id, String client) {
        Stored stored = find(id);
        return stored != null && stored.client().equals(client) ? stored : null;
    }

    /** Forgets the answer kept under {@code id} for {@code client}; whether there was one. */
    public boolean delete(String id, String client) {
        synchronized (entries) {
            return find(id, client) != null && remove(id) != null;
        }
    }

    private Stored find(String id) {
        long now = nanoClock.getAsLong();
        synchronized (entries) {
            Stored stored = entries.get(id);
            if (stored == null) {
                return null;
            }
            if (stored.expiresAtNanos() - now <= 0) {
                remove(id);
                return null;
            }
            return stored;
        }
    }

    /** How many answers are kept now, expired ones not yet dropped included. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** The bytes the kept answers take, as counted against the bound. */
    public long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    private Stored remove(String id) {
        Stored removed = entries.remove(id);
        if (removed != null) {
            bytes -= removed.bytes();
        }
        return removed;
    }

    /** Drops expired answers from the old end, then the oldest until both bounds hold again. */
    private void evict(long now) {
        Iterator<Map.Entry<String, Stored>> oldest = entries.entrySet().iterator();
        while (oldest.hasNext()) {
            Stored stored = oldest.next().getValue();
            boolean expired = stored.expiresAtNanos() - now <= 0;
            if (!expired && entries.size() <= maxEntries && bytes <= maxBytes) {
                return;
            }
            oldest.remove();
            bytes -= stored.bytes();
        }
    }
}
