package io.caravan.call;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a whole (non-streamed) answer straight to the caller's Vert.x response and ends it; platform-http then
 * leaves the response alone. Only the headers named here are sent: nothing from the upstream leaks through.
 */
public final class CallerReply {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private CallerReply() {
    }

    public static void json(GatewayCall call, int status, Buffer body) {
        send(call.callerResponse(), call.requestId(), status, JSON, body, null);
        call.setFinalStatus(status);
    }

    /** As {@link #json}, with a {@code Retry-After} in whole seconds (at least 1). */
    public static void json(GatewayCall call, int status, Buffer body, long retryAfterSeconds) {
        send(call.callerResponse(), call.requestId(), status, JSON, body,
                MultiMap.caseInsensitiveMultiMap().add(CallerHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds))));
        call.setFinalStatus(status);
    }

    /** An answer with an explicit content type and extra headers (for relaying upstream errors verbatim). */
    public static void send(HttpServerResponse response, String requestId, int status, CharSequence contentType,
            Buffer body, MultiMap extraHeaders) {
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status);
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (requestId != null) {
            response.putHeader(CallerHeaders.REQUEST_ID, requestId);
        }
        if (extraHeaders != null) {
            response.headers().addAll(extraHeaders);
        }
        response.end(body);
    }
}
