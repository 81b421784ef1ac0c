package io.caravan.server;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps caller connections that send nothing useful from holding the gateway's sockets: every listener hands it
 * its connections ({@link #handle}) and its requests ({@link #requests}).
 *
 * <ul>
 *   <li>A new connection must complete its first request head within the header time-out.</li>
 *   <li>A connection with no request in flight is closed after the idle time-out. That also bounds a slow head on a
 *       reused keep-alive connection: it counts as idle until its head is complete. A request in flight is never
 *       idle (a stream sends keep-alives; a whole answer is bounded by the upstream time-outs instead).</li>
 *   <li>A request body must be complete within the body time-out after its head, or the caller gets 408 and the
 *       connection is closed.</li>
 *   <li>At most {@code maxConnections} are open: a connection beyond that closes the longest-idle one without a
 *       request in flight, or is itself closed if every connection is busy. So a flood of silent connections
 *       only ever displaces itself, never {@code /healthz} or a caller being answered.</li>
 * </ul>
 *
 * <p>The time-outs are checked by one periodic sweep rather than a timer per connection or request, so the request
 * path pays for a map lookup and a list entry, and a request's end is noticed by the sweep (to within its period).
 * Vert.x's own idle time-out is not used: it would also cut a request whose whole answer is still being waited for.
 */
public final class ConnectionGuard implements Handler<HttpConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Vertx vertx;
    private final long idleNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private final int maxConnections;
    private final long sweepMillis;
    private final Map<HttpConnection, Caller> byConnection = new ConcurrentHashMap<>();
    /** The same callers by socket address: an h2c upgrade hands over a socket to a new connection object. */
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean draining;
    private long sweeper = -1;

    public ConnectionGuard(Vertx vertx, Duration idle, Duration header, Duration body, int maxConnections) {
        this.vertx = vertx;
        this.idleNanos = idle.toNanos();
        this.headerNanos = header.toNanos();
        this.bodyNanos = body.toNanos();
        this.maxConnections = maxConnections;
        long shortest = Math.min(idle.toMillis(), Math.min(header.toMillis(), body.toMillis()));
        this.sweepMillis = Math.max(20, Math.min(1000, shortest / 5));
    }

    /** Starts the sweep that applies the time-outs. */
    public synchronized void start() {
        if (sweeper < 0) {
            sweeper = vertx.setPeriodic(sweepMillis, id -> sweep());
        }
    }

    public synchronized void stop() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
            sweeper = -1;
        }
    }

    /** Open caller connections now. */
    public int openConnections() {
        return open.get();
    }

    @Override
    public void handle(HttpConnection connection) {
        // The listeners serve HTTP/1.1 only (cleartext HTTP/2 is off, see ListenerPerEventLoop), so a connection is
        // never upgraded into another one: each is counted once, from here to its close.
        Caller caller = new Caller(connection, Vertx.currentContext(), System.nanoTime());
        open.incrementAndGet();
        byConnection.put(connection, caller);
        connection.closeHandler(v -> closed(caller));
        if (open.get() > maxConnections && !makeRoom(caller)) {
            LOG.debug("Refused a connection from {}: {} connections open, every one with a request in flight",
                    connection.remoteAddress(), open.get());
            caller.close();
        }
    }

    /**
     * The connection became a WebSocket: it is never idle in the sense of this guard (its socket has a time-out of its
     * own), so neither the idle sweep, nor a newcomer looking for room, nor the drain closes it.
     */
    public void webSocketOpened(HttpConnection connection) {
        Caller caller = byConnection.get(connection);
        if (caller != null) {
            caller.webSocket = true;
        }
    }

    /** Wraps a listener's request handler: notes each request on its connection, and refuses any while draining. */
    public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
        return request -> {
            Caller caller = byConnection.get(request.connection());
            if (caller != null) {
                caller.begin(request);
            }
            if (draining) {
                refuse(request);
                return;
            }
            next.handle(request);
        };
    }

    /** Answers 503 once the body is in (closing a socket with unread bytes would reset it, answer and all). */
    private static void refuse(HttpServerRequest request) {
        Runnable answer = () -> ListenerReplies.answerAndClose(request, 503, "The gateway is shutting down; retry on "
                + "another instance or in a moment", 1);
        if (request.isEnded()) {
            answer.run();
        } else {
            request.handler(ignored -> { });
            request.endHandler(v -> answer.run());
        }
    }

    /**
     * From now on every new request is answered 503 with {@code Retry-After}; connections without a request in
     * flight are closed, so keep-alive callers reconnect (elsewhere, behind a balancer).
     */
    public void startDraining() {
        draining = true;
        long now = System.nanoTime();
        for (Caller caller : byConnection.values()) {
            if (caller.idle(now)) {
                caller.close();
            }
        }
    }

    /** Answers every request still waiting for its answer's first byte with a 503, and closes its connection. */
    public void refuseUnanswered(String message) {
        for (Caller caller : byConnection.values()) {
            for (HttpServerRequest request : caller.unanswered()) {
                caller.context.runOnContext(v -> ListenerReplies.answerAndClose(request, 503, message, 1));
            }
        }
    }

    private void closed(Caller caller) {
        if (byConnection.remove(caller.connection, caller)) {
            open.decrementAndGet();
        }
    }

    /** Closes the longest-idle connection without a request in flight; false if there is none. */
    private boolean makeRoom(Caller newcomer) {
        long now = System.nanoTime();
        for (int tries = 0; tries < 3; tries++) {
            Caller victim = null;
            for (Caller caller : byConnection.values()) {
                if (caller != newcomer && !caller.closing.get() && caller.idle(now)
                        && (victim == null || caller.idleSinceNanos - victim.idleSinceNanos < 0)) {
                    victim = caller;
                }
            }
            if (victim == null) {
                return false;
            }
            if (victim.close()) {
                return true;
            }
        }
        return false;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Caller caller : byConnection.values()) {
            if (caller.closing.get()) {
                continue;
            }
            if (!caller.hadRequest) {
                if (now - caller.openedNanos > headerNanos) {
                    caller.close();
                }
            } else if (caller.idle(now)) {
                if (now - caller.idleSinceNanos > idleNanos) {
                    caller.close();
                }
            } else {
                for (HttpServerRequest late : caller.bodiesLate(now, bodyNanos)) {
                    caller.context.runOnContext(v -> {
                        caller.closing.set(true);
                        ListenerReplies.answerAndClose(late, 408, "The request body did not arrive within "
                                + TimeUnit.NANOSECONDS.toMillis(bodyNanos) + " ms", 0);
                    });
                }
            }
        }
    }

    /**
     * One caller connection: when it opened, and the requests on it not yet answered.
     *
     * <p>Its lock guards the list only, and is never held while asking a request or response for its state: Vert.x
     * answers those under the connection's own lock, which the connection's event loop holds when it calls
     * {@link #begin}. The sweep, on another event loop, would otherwise take the two locks in the other order.
     */
    private static final class Caller {
        final HttpConnection connection;
        final Context context;
        final long openedNanos;
        final AtomicBoolean closing = new AtomicBoolean();
        /** Requests whose answer has not ended; guarded by {@code this}. */
        private final List<Request> inFlight = new ArrayList<>(1);
        volatile long idleSinceNanos;
        volatile boolean hadRequest;
        volatile boolean webSocket;

        Caller(HttpConnection connection, Context context, long openedNanos) {
            this.connection = connection;
            this.context = context;
            this.openedNanos = openedNanos;
            this.idleSinceNanos = openedNanos;
        }

        /** On the connection's event loop, as a request's head arrives. */
        void begin(HttpServerRequest request) {
            hadRequest = true;
            // Answered requests go at once, not at the next sweep: a busy keep-alive connection would otherwise
            // hold a second's worth of finished requests, and their buffers, into the old generation.
            forget(answered(requests()));
            Request started = new Request(request, System.nanoTime());
            synchronized (this) {
                inFlight.add(started);
            }
        }

        /** Whether no request is in flight, forgetting those answered since the last look. */
        boolean idle(long now) {
            if (webSocket) {
                return false;
            }
            List<Request> current = requests();
            if (current.isEmpty()) {
                return true;
            }
            List<Request> answered = answered(current);
            if (answered.isEmpty()) {
                return false;
            }
            if (forget(answered)) {
                idleSinceNanos = now;
                return true;
            }
            return false;
        }

        /** Requests whose body is still incomplete this long after their head (each reported once). */
        List<HttpServerRequest> bodiesLate(long now, long bodyNanos) {
            List<HttpServerRequest> late = List.of();
            for (Request r : requests()) {
                if (!r.timedOut && !r.request.isEnded() && now - r.headNanos > bodyNanos) {
                    r.timedOut = true;
                    late = late.isEmpty() ? new ArrayList<>(1) : late;
                    late.add(r.request);
                }
            }
            return late;
        }

        List<HttpServerRequest> unanswered() {
            List<HttpServerRequest> waiting = new ArrayList<>();
            for (Request r : requests()) {
                if (!r.request.response().headWritten() && !r.request.response().closed()) {
                    waiting.add(r.request);
                }
            }
            return waiting;
        }

        private synchronized List<Request> requests() {
            return inFlight.isEmpty() ? List.of() : List.copyOf(inFlight);
        }

        /** Forgets the given requests; true if none is left. */
        private synchronized boolean forget(List<Request> answered) {
            if (!answered.isEmpty()) {
                inFlight.removeAll(answered);
            }
            return inFlight.isEmpty();
        }

        private static List<Request> answered(List<Request> requests) {
            List<Request> answered = List.of();
            for (Request r : requests) {
                if (r.answered()) {
                    answered = answered.isEmpty() ? new ArrayList<>(1) : answered;
                    answered.add(r);
                }
            }
            return answered;
        }

        /** Closes the connection; false if it was already being closed. */
        boolean close() {
            if (!closing.compareAndSet(false, true)) {
                return false;
            }
            connection.close();
            return true;
        }
    }

    private static final class Request {
        final HttpServerRequest request;
        final long headNanos;
        /** Set by the sweep only. */
        volatile boolean timedOut;

        Request(HttpServerRequest request, long headNanos) {
            this.request = request;
            this.headNanos = headNanos;
        }

        boolean answered() {
            return request.response().ended() || request.response().closed();
        }
    }
}
