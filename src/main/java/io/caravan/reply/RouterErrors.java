package io.caravan.reply;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.RequestIds;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * JSON answers, in the caller's dialect, for what no route takes: an unknown path (404), a known path with the wrong
 * method (405), a body over the size limit (413, raised by the router's body handler), and a request beyond the
 * in-flight limit (503). Each gets its access-log line, like any request.
 */
public final class RouterErrors {

    private RouterErrors() {
    }

    /** @param knownPaths the paths routes listen on, to tell a wrong method from an unknown path */
    public static void install(Router router, Set<String> knownPaths) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (knownPaths.contains(path)) {
                answer(ctx, 405, "Method " + ctx.request().method() + " is not allowed on " + path);
            } else {
                answer(ctx, 404, "Unknown path " + path);
            }
        });
        // Failures inside platform-http's sub-router never reach error handlers registered on it: catch them here.
        // Vert.x Web refuses some requests itself (a body over the limit, an Expect it cannot meet, a path that does
        // not decode) with a bare status: each becomes an answer in the caller's dialect.
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status < 400 || status >= 500 || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            // The body may be unread, and would otherwise stall the connection.
            ctx.response().putHeader("connection", "close");
            answer(ctx, status, switch (status) {
                case 413 -> "The request body is larger than this gateway accepts";
                case 417 -> "The only expectation this gateway meets is 'Expect: 100-continue'";
                default -> "The request could not be read: "
                        + HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT);
            });
        });
    }

    /** A 503 with {@code Retry-After}, for a request the gateway has no room for. */
    public static void overloaded(RoutingContext ctx, String message) {
        ctx.response().putHeader(CallerHeaders.RETRY_AFTER, "1");
        answer(ctx, 503, message);
    }

    /** The dialect of a request no route has taken yet: the first registered dialect that recognises it. */
    public static Dialect dialectOf(HttpServerRequest request) {
        return Dialects.of(request.path(), request::getHeader);
    }

    private static void answer(RoutingContext ctx, int status, String message) {
        Dialect dialect = dialectOf(ctx.request());
        String requestId = RequestIds.next();
        CallerReply.send(ctx.response(), requestId, status,
                Buffer.buffer(DialectErrors.body(dialect, status, message, requestId)));
        AccessLog.recordRouterAnswer(requestId, dialect, ctx.request().method().name(), ctx.request().path(), status);
    }
}
