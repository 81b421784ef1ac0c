package io.caravan.server;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.RequestIds;
import io.caravan.reply.AccessLog;
import io.caravan.reply.RouterErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Error answers the listeners write themselves, before or instead of any route: a body that did not arrive in
 * time (408), a request while the gateway shuts down (503). The caller's dialect is told by the path and the
 * {@code anthropic-version} header, as the router's own errors do, and the connection is closed after the answer:
 * what is left of the request on it cannot be trusted to line up with the next one. Each gets an access-log line, as
 * the router's answers do.
 */
final class ListenerReplies {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

    private ListenerReplies() {
    }

    /**
     * Answers and closes the connection once the answer is out; only closes when an answer has already begun.
     *
     * @param retryAfterSeconds a {@code Retry-After} value, or 0 for none
     */
    static Future<Void> answerAndClose(HttpServerRequest request, int status, String message, int retryAfterSeconds) {
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return request.connection().close();
        }
        // HTTP/1.1 only (the listeners have cleartext HTTP/2 off): closing the connection ends just this caller.
        String requestId = RequestIds.next();
        Dialect dialect = RouterErrors.dialectOf(request);
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(CallerHeaders.REQUEST_ID, requestId)
                .putHeader(HttpHeaders.CONNECTION, CLOSE);
        if (retryAfterSeconds > 0) {
            response.putHeader(CallerHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        }
        Future<Void> written = response.end(Buffer.buffer(DialectErrors.body(dialect, status, message, requestId)));
        written.onComplete(done -> request.connection().close());
        AccessLog.recordRouterAnswer(requestId, dialect, request.method().name(), request.path(), status);
        return written;
    }
}
