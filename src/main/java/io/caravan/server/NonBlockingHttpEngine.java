package io.caravan.server;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine, with {@link NonBlockingHttpConsumer}s on the {@link GatewayServer}'s router. It is the
 * engine of the gateway's own platform-http component (the one its routes consume from); the standalone gateway also binds it
 * under {@link #NAME}, where platform-http finds it before it would create its own, so that the user's
 * {@code platform-http} routes run through it too. Embedded, it stays the gateway's: the application's
 * {@code platform-http} keeps its own engine and server.
 */
public final class NonBlockingHttpEngine extends VertxPlatformHttpEngine {

    public static final String NAME = PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME;

    private final GatewayServer server;
    private final InFlightLimit limit;
    private final EventLoopSafety safety;

    /**
     * @param server where the consumers' routes are served
     * @param maxInFlight requests answered at once; more are turned away with 503
     * @param safety which routes may run on the event loop
     */
    public NonBlockingHttpEngine(GatewayServer server, int maxInFlight, EventLoopSafety safety) {
        this.server = server;
        this.limit = new InFlightLimit(maxInFlight);
        this.safety = safety;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new NonBlockingHttpConsumer(endpoint, processor, getHandlers(),
                server.routerName(this), limit, safety);
    }

    /**
     * Not bound under {@link #NAME} by itself, as platform-http's engine would be: embedded, the application's
     * platform-http routes must not run through the gateway's engine.
     */
    @Override
    protected void doInit() {
    }

    /** Requests being answered now. */
    public int inFlight() {
        return limit.current();
    }
}
