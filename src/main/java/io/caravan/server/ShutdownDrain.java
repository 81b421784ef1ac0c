package io.caravan.server;

import io.caravan.relay.OpenStreams;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the gateway when Camel stops (on SIGTERM camel-main stops the context, and this runs first, before Camel's
 * own shutdown strategy starts counting): new requests are answered 503 with {@code Retry-After} in the caller's
 * dialect, the requests being answered get up to the drain time to finish, and then every stream still open ends
 * with an in-band error in its dialect and every request still waiting for its answer gets the 503. Only then do
 * the routes and listeners stop, so no caller is cut off without being told. Camel's shutdown time-out
 * ({@code camel.main.shutdown-timeout}) is set well above the drain so that Camel never cuts first.
 */
public final class ShutdownDrain extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger("caravan");
    private static final String SHUTTING_DOWN = "The gateway is shutting down";
    /** After the in-band errors, how long the ended streams get to complete their exchanges. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final ConnectionGuard guard;
    private final OpenStreams streams;
    private final NonBlockingHttpEngine engine;
    private final ResponsesWebSockets sockets;
    private final Duration drain;

    public ShutdownDrain(ConnectionGuard guard, OpenStreams streams, NonBlockingHttpEngine engine,
            ResponsesWebSockets sockets, Duration drain) {
        this.guard = guard;
        this.streams = streams;
        this.engine = engine;
        this.sockets = sockets;
        this.drain = drain;
    }

    @Override
    public void onContextStopping(CamelContext context) {
        guard.startDraining();
        sockets.startDraining();
        int open = engine.inFlight();
        if (open > 0) {
            LOG.info("Draining: {} requests in flight ({} streams) get up to {} ms to finish", open, streams.size(),
                    drain.toMillis());
        }
        if (!awaitNothingInFlight(drain)) {
            LOG.warn("Drain time over: ending {} open streams with an in-band error, answering {} waiting requests "
                    + "503", streams.size(), Math.max(0, engine.inFlight() - streams.size()));
            streams.failAll(503, SHUTTING_DOWN);
            guard.refuseUnanswered(SHUTTING_DOWN + "; retry on another instance or in a moment");
            awaitNothingInFlight(SETTLE);
        }
        // Sockets whose turn the drain cut short are still open: they close now, and get a moment for the handshake.
        sockets.closeAll();
        awaitNoSocket(SETTLE);
    }

    private void awaitNoSocket(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sockets.open() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean awaitNothingInFlight(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (engine.inFlight() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
