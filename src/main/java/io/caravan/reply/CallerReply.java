package io.caravan.reply;

import io.caravan.exchange.CallerHeaders;
import io.caravan.exchange.GatewayCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * Writes a whole (non-streamed) answer to the caller and ends it; platform-http then leaves the response alone. Only
 * the headers named here are sent: nothing from the upstream leaks through.
 */
public final class CallerReply {

    static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private CallerReply() {
    }

    public static void json(GatewayCall call, int status, Buffer body) {
        call.channel().answer(status, JSON, call.requestId(), body, null);
        call.setFinalStatus(status);
    }

    /** As {@link #json}, with a {@code Retry-After} in whole seconds (at least 1). */
    public static void json(GatewayCall call, int status, Buffer body, long retryAfterSeconds) {
        call.channel().answer(status, JSON, call.requestId(), body,
                Map.of(CallerHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds))));
        call.setFinalStatus(status);
    }

    /**
     * A whole answer straight to a server response, through the same channel a call answers on: for the answers
     * written before (or without) a {@link GatewayCall}, by the router and the service endpoints.
     */
    public static void send(HttpServerResponse response, String requestId, int status, Buffer body) {
        new VertxCallerChannel(response).answer(status, JSON, requestId, body, null);
    }
}
