package io.caravan.server;

import io.caravan.call.RouterErrors;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.PlatformHttpResponses;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.Processor;

/**
 * A platform-http consumer that never holds a thread while an exchange waits, and runs routes that never block on
 * the event loop.
 *
 * <p>platform-http-vertx runs each exchange with a blocking call on a Vert.x worker thread, so every open request
 * (an LLM stream lasts minutes) parks a thread for its whole life, and every request pays for handing it to that
 * thread and back. This consumer runs the route through Camel's asynchronous routing engine: when a step goes
 * asynchronous (the upstream calls do) the thread is free at once. A route that never blocks (see
 * {@link EventLoopSafety}; the gateway's own routes move the steps that may wait to a worker themselves: waiting
 * for a busy credential, a hook route that may call out, rotating after a failure) starts on the event loop that
 * read the request; any other route starts on a worker thread, as with platform-http. The answer is written and the
 * exchange completed on the request's event loop, as platform-http does.
 *
 * <p>It also bounds the requests in flight: past the limit a request is answered 503 with {@code Retry-After} in the
 * caller's dialect instead of queueing without bound. Requests that need platform-http's own form-data or proxy
 * handling take its classic path.
 */
final class NonBlockingHttpConsumer extends VertxPlatformHttpConsumer {

    private final InFlightLimit limit;
    /** Whether this consumer's route may run on the event loop (see {@link EventLoopSafety}); decided on first use. */
    private volatile Boolean onEventLoop;

    NonBlockingHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
            String routerName, InFlightLimit limit) {
        super(endpoint, processor, handlers, routerName);
        this.limit = limit;
    }

    @Override
    protected void handleRequest(RoutingContext ctx) {
        if (!limit.tryEnter()) {
            RouterErrors.overloaded(ctx, "The gateway is at its limit of " + limit.max() + " requests in flight");
            return;
        }
        ctx.addEndHandler(ended -> limit.leave());
        if (isSuspended() || needsClassicHandling(ctx)) {
            super.handleRequest(ctx);
            return;
        }
        Context eventLoop = ctx.vertx().getOrCreateContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, ctx).onComplete(populated -> {
            if (populated.failed()) {
                fail(exchange, ctx, populated.cause());
                return;
            }
            if (onEventLoop()) {
                route(exchange, ctx, eventLoop);
            } else {
                eventLoop.executeBlocking(() -> {
                    route(exchange, ctx, eventLoop);
                    return null;
                }, false).onFailure(failure -> fail(exchange, ctx, failure));
            }
        });
    }

    private boolean onEventLoop() {
        Boolean decided = onEventLoop;
        if (decided == null) {
            // Camel does not tell the engine's consumer its route id, so the route is found by its endpoint.
            CamelContext context = getEndpoint().getCamelContext();
            decided = context.getRoutes().stream().filter(route -> route.getEndpoint() == getEndpoint()).findFirst()
                    .map(route -> EventLoopSafety.neverBlocks(context, route.getRouteId())).orElse(false);
            onEventLoop = decided;
        }
        return decided;
    }

    /** Runs the route until it completes or goes asynchronous; the answer is written on the request's event loop. */
    private void route(Exchange exchange, RoutingContext ctx, Context eventLoop) {
        try {
            createUoW(exchange);
        } catch (Exception e) {
            fail(exchange, ctx, e);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            if (((ContextInternal) eventLoop).nettyEventLoop().inEventLoop()) {
                reply(ctx, exchange);
            } else {
                eventLoop.runOnContext(v -> reply(ctx, exchange));
            }
        });
    }

    private void reply(RoutingContext ctx, Exchange exchange) {
        if (ctx.response().closed()) {
            // The caller went away: there is no one to write the route's answer to.
            complete(exchange);
            return;
        }
        PlatformHttpResponses.write(ctx, exchange, getEndpoint().getHeaderFilterStrategy(), getEndpoint().isMuteException())
                .onComplete(written -> {
                    if (written.failed()) {
                        fail(exchange, ctx, written.cause());
                    } else {
                        complete(exchange);
                    }
                });
    }

    private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
        getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(), failure);
        ctx.fail(failure);
        complete(exchange);
    }

    private void complete(Exchange exchange) {
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }

    private boolean needsClassicHandling(RoutingContext ctx) {
        if (getEndpoint().isHttpProxy()) {
            return true;
        }
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return contentType != null && (contentType.regionMatches(true, 0, "multipart/form-data", 0, 19)
                || contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33));
    }
}
