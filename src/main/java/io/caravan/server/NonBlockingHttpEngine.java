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

    /** @param maxInFlight requests answered at once; more are turned away with 503 */
    public NonBlockingHttpEngine(int maxInFlight) {
        this.limit = new InFlightLimit(maxInFlight);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new NonBlockingHttpConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), limit);
    }

    /** Requests being answered now. */
    public int inFlight() {
        return limit.current();
    }
}
