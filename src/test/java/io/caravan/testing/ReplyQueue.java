package io.caravan.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Scripted replies in arrival order plus a default. A request takes the oldest queued reply that may answer its
 * endpoint (so a queued {@code countTokens} waits for a count_tokens request and a queued {@code text} waits for a
 * completion request), else the default if that may answer it; the caller decides what answers the rest.
 */
final class ReplyQueue {

    private final Deque<Reply> queued = new ArrayDeque<>();
    private Reply fallback;

    synchronized void enqueue(Reply reply) {
        queued.addLast(Objects.requireNonNull(reply, "reply"));
    }

    synchronized void setDefault(Reply reply) {
        fallback = Objects.requireNonNull(reply, "reply");
    }

    synchronized void clear() {
        queued.clear();
    }

    synchronized int pending() {
        return queued.size();
    }

    /** The reply for the next request to this endpoint, or empty when neither queue nor default applies. */
    synchronized Optional<Reply> take(Endpoint endpoint) {
        for (Iterator<Reply> it = queued.iterator(); it.hasNext(); ) {
            Reply reply = it.next();
            if (endpoint.accepts(reply.scope())) {
                it.remove();
                return Optional.of(reply);
            }
        }
        return fallback != null && endpoint.accepts(fallback.scope()) ? Optional.of(fallback) : Optional.empty();
    }
}
