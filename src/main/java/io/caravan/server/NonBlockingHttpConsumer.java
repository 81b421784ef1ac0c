package io.caravan.server;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.GatewayCall;
import io.caravan.exchange.RequestIds;
import io.caravan.flow.StreamUpstreamCall;
import io.caravan.ingress.WebSocketTurn;
import io.caravan.relay.CallerChannel;
import io.caravan.relay.SseRelay;
import io.caravan.relay.StreamEnd;
import io.caravan.reply.AccessLog;
import io.caravan.reply.RouterErrors;
import io.caravan.reply.VertxCallerChannel;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>It is built on extension points that Camel and Vert.x publish, so that an upgrade that changes their insides
 * fails to compile rather than silently: platform-http's engine SPI ({@link NonBlockingHttpEngine} is the
 * registry's {@code PlatformHttpEngine} and creates this consumer), the public {@link VertxPlatformHttpConsumer}
 * with its protected {@code handleRequest} (the request's entry point, meant to be overridden) and
 * {@code processHttpRequest} (which turns the request into the exchange's message, so that routes see what stock
 * platform-http gives them), and the unit-of-work lifecycle that {@link org.apache.camel.support.DefaultConsumer}
 * offers every consumer that drives its route itself ({@code createExchange}, {@code createUoW},
 * {@code getAsyncProcessor}, {@code doneUoW}, {@code releaseExchange}). Answers that a route leaves in its message
 * are written by Caravan's own {@link RouteAnswerWriter}, since platform-http keeps its writer to its package.
 * Threads are told apart with {@link Context#isOnEventLoopThread()} and the thread that read the request.
 */
final class NonBlockingHttpConsumer extends VertxPlatformHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(NonBlockingHttpConsumer.class);
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    /** The method a WebSocket turn's router-style access-log line names. */
    static final String TURN_METHOD = "WEBSOCKET";

    private final InFlightLimit limit;
    private final EventLoopSafety safety;
    /** Whether this consumer's route may run on the event loop (see {@link EventLoopSafety}); decided on first use. */
    private volatile Boolean onEventLoop;

    NonBlockingHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
            String routerName, InFlightLimit limit, EventLoopSafety safety) {
        super(endpoint, processor, handlers, routerName);
        this.limit = limit;
        this.safety = safety;
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
        // The router calls this on the request's event loop: its thread tells later whether a callback is on it.
        Thread eventLoopThread = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, ctx).onComplete(populated -> {
            if (populated.failed()) {
                fail(exchange, ctx, populated.cause());
                return;
            }
            if (onEventLoop()) {
                route(exchange, ctx, eventLoop, eventLoopThread);
            } else {
                eventLoop.executeBlocking(() -> {
                    route(exchange, ctx, eventLoop, eventLoopThread);
                    return null;
                }, false).onFailure(failure -> fail(exchange, ctx, failure));
            }
        });
    }

    /**
     * Runs one turn of a Responses WebSocket through this consumer's route, exactly as an HTTP request to it runs
     * (counted against the in-flight limit, on the event loop when the route never blocks), with the turn's message
     * in place of the HTTP one: the {@link WebSocketTurn} property, the caller's handshake headers and the turn's
     * JSON as the body. Call it on the socket's event loop; {@code finished} runs there once the exchange is done.
     */
    void serveTurn(WebSocketTurn turn, Map<String, Object> headers, Buffer body, Runnable finished) {
        if (isSuspended() || !limit.tryEnter()) {
            String requestId = RequestIds.next();
            String message = isSuspended() ? "The Responses route is suspended"
                    : "The gateway is at its limit of " + limit.max() + " requests in flight";
            turn.channel().answer(503, JSON, requestId, Buffer.buffer(DialectErrors.body(Dialects.RESPONSES, 503,
                    message, requestId)), Map.of(CallerHeaders.RETRY_AFTER, "1"));
            AccessLog.recordRouterAnswer(requestId, Dialects.RESPONSES, TURN_METHOD, getEndpoint().getPath(), 503);
            finished.run();
            return;
        }
        Context eventLoop = Vertx.currentContext();
        Thread eventLoopThread = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        exchange.getIn().setHeaders(headers);
        exchange.getIn().setBody(body);
        exchange.setProperty(WebSocketTurn.PROPERTY, turn);
        Runnable done = () -> {
            finishTurn(exchange, turn.channel());
            limit.leave();
            finished.run();
        };
        Runnable run = () -> {
            try {
                createUoW(exchange);
            } catch (Exception e) {
                exchange.setException(e);
                done.run();
                return;
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                if (Thread.currentThread() == eventLoopThread) {
                    done.run();
                } else {
                    eventLoop.runOnContext(v -> done.run());
                }
            });
        };
        if (onEventLoop()) {
            run.run();
        } else {
            eventLoop.executeBlocking(() -> {
                run.run();
                return null;
            }, false).onFailure(failure -> {
                exchange.setException(failure);
                done.run();
            });
        }
    }

    /** As {@link #reply} for an HTTP request: a turn the route left unanswered gets the 500 error frame. */
    private void finishTurn(Exchange exchange, CallerChannel channel) {
        GatewayCall call = GatewayCall.of(exchange);
        if (call != null && call.callerGone()) {
            callerGone(exchange, null);
        } else if (exchange.getException() != null || !channel.ended()) {
            String requestId = call != null ? call.requestId() : RequestIds.next();
            LOG.error("{} failed unexpectedly on a WebSocket turn", requestId, exchange.getException());
            if (call != null) {
                call.setFinalStatus(500);
            }
            String message = "Internal gateway error (request " + requestId + ")";
            SseRelay relay = exchange.getProperty(StreamUpstreamCall.RELAY, SseRelay.class);
            if (channel.headSent() && relay != null) {
                relay.failInBand(500, message);
            } else {
                channel.answer(500, JSON, requestId,
                        Buffer.buffer(DialectErrors.body(Dialects.RESPONSES, 500, message, requestId)), null);
            }
            channel.end();
        }
        complete(exchange);
    }

    private boolean onEventLoop() {
        Boolean decided = onEventLoop;
        if (decided == null) {
            // Camel does not tell the engine's consumer its route id, so the route is found by its endpoint.
            CamelContext context = getEndpoint().getCamelContext();
            decided = context.getRoutes().stream().filter(route -> route.getEndpoint() == getEndpoint()).findFirst()
                    .map(route -> safety.neverBlocks(context, route.getRouteId())).orElse(false);
            onEventLoop = decided;
        }
        return decided;
    }

    /** Runs the route until it completes or goes asynchronous; the answer is written on the request's event loop. */
    private void route(Exchange exchange, RoutingContext ctx, Context eventLoop, Thread eventLoopThread) {
        try {
            createUoW(exchange);
        } catch (Exception e) {
            fail(exchange, ctx, e);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            if (Thread.currentThread() == eventLoopThread) {
                reply(ctx, exchange);
            } else {
                eventLoop.runOnContext(v -> reply(ctx, exchange));
            }
        });
    }

    private void reply(RoutingContext ctx, Exchange exchange) {
        if (ctx.response().closed()) {
            // The connection or stream is gone: there is no one to write the route's answer to. (An HTTP/2 stream
            // also counts as closed once an answer has been sent on it in full.)
            if (leftEarly(exchange, ctx)) {
                callerGone(exchange, null);
            }
            complete(exchange);
            return;
        }
        if (exchange.getException() != null || (GatewayCall.of(exchange) != null && !ctx.response().ended())) {
            // A message-based answer to a failure would be an error page carrying the message's headers, which
            // still hold the caller's request headers: the gateway answers for itself instead.
            unexpectedFailure(ctx, exchange);
            complete(exchange);
            return;
        }
        RouteAnswerWriter.write(ctx, exchange, getEndpoint().getHeaderFilterStrategy()).onComplete(written -> {
            if (written.failed()) {
                fail(exchange, ctx, written.cause());
            } else {
                complete(exchange);
            }
        });
    }

    private void fail(Exchange exchange, RoutingContext ctx, Throwable failure) {
        if (ctx.response().closed() || DepartedCallers.isDeparture(failure)) {
            // A caller leaving (before its body arrived, or while its answer was written) is no fault of the
            // gateway's: it is a 499 in the access log, not an error.
            callerGone(exchange, failure);
        } else {
            getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(), failure);
            exchange.setException(failure);
            unexpectedFailure(ctx, exchange);
        }
        complete(exchange);
    }

    /** Whether the caller left before its answer was complete. */
    private static boolean leftEarly(Exchange exchange, RoutingContext ctx) {
        GatewayCall call = GatewayCall.of(exchange);
        SseRelay relay = exchange.getProperty(StreamUpstreamCall.RELAY, SseRelay.class);
        return !ctx.response().ended() || (call != null && call.finalStatus() == 0)
                || (relay != null && relay.finished().result() == StreamEnd.CALLER_GONE);
    }

    private static void callerGone(Exchange exchange, Throwable failure) {
        GatewayCall call = GatewayCall.of(exchange);
        if (call != null) {
            call.setFinalStatus(499);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} the caller went away{}", call != null ? call.requestId() : exchange.getExchangeId(),
                    failure == null ? "" : ": " + failure);
        }
    }

    /**
     * Answers a route that ended with an exception or without answering: 500 in the caller's dialect with only the
     * gateway's own headers, or an in-band error if a stream had begun.
     */
    private static void unexpectedFailure(RoutingContext ctx, Exchange exchange) {
        GatewayCall call = GatewayCall.of(exchange);
        String requestId = call != null ? call.requestId() : RequestIds.next();
        Throwable cause = exchange.getException();
        LOG.error("{} failed unexpectedly on {}", requestId, ctx.request().path(), cause);
        String message = "Internal gateway error (request " + requestId + ")";
        if (call != null) {
            call.setFinalStatus(500);
        }
        CallerChannel channel = call != null ? call.channel() : new VertxCallerChannel(ctx.response());
        if (channel.ended()) {
            return;
        }
        if (channel.headSent()) {
            SseRelay relay = exchange.getProperty(StreamUpstreamCall.RELAY, SseRelay.class);
            if (relay != null) {
                relay.failInBand(500, message);
            } else {
                channel.end();
            }
            return;
        }
        Dialect dialect = call != null ? call.dialect() : RouterErrors.dialectOf(ctx.request());
        // Only the gateway's own headers: nothing set on the response before the failure goes out with its answer.
        ctx.response().headers().clear();
        channel.answer(500, JSON, requestId, Buffer.buffer(DialectErrors.body(dialect, 500, message, requestId)), null);
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
