package io.caravan.server;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine, with {@link NonBlockingHttpConsumer}s. platform-http finds it in the registry under
 * {@link #NAME} before it would create its own.
 */
public final class NonBlockingHttpEngine extends VertxPlatformHttpEngine {

    public static final String NAME = PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME;

    private final InFlightLimit limit;
    private final EventLoopSafety safety;

    /**
     * @param maxInFlight requests answered at once; more are turned away with 503
     * @param safety which routes may run on the event loop
     */
    public NonBlockingHttpEngine(int maxInFlight, EventLoopSafety safety) {
        this.limit = new InFlightLimit(maxInFlight);
        this.safety = safety;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new NonBlockingHttpConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), limit, safety);
    }

    /** Requests being answered now. */
    public int inFlight() {
        return limit.current();
    }
}
