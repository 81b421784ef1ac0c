package io.caravan.ingress;

import io.caravan.dialect.Endpoint;
import io.caravan.exchange.GatewayCall;
import io.caravan.reply.VertxCallerChannel;
import io.caravan.upstream.UpstreamHeaderPolicy;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Turns a request the Vert.x server received into the {@link GatewayCall} the routes carry: the caller's headers
 * that may go upstream are taken now, the answer goes through a {@link VertxCallerChannel}, and the call learns at
 * once when the caller's connection closes. Past this point nothing of the request path sees the server's objects.
 */
public final class VertxCallFactory {

    private VertxCallFactory() {
    }

    public static GatewayCall newCall(String requestId, Endpoint endpoint, HttpServerRequest request,
            HttpServerResponse response) {
        VertxCallerChannel channel = new VertxCallerChannel(response);
        GatewayCall call = new GatewayCall(requestId, endpoint, channel,
                UpstreamHeaderPolicy.callerHeadersToRelay(endpoint.dialect(), request.headers()::getAll));
        channel.onGone(call::markCallerGone);
        return call;
    }

    /** The call of a WebSocket turn: answered on the turn's channel, with the socket's handshake headers. */
    public static GatewayCall newCall(String requestId, Endpoint endpoint, WebSocketTurn turn) {
        GatewayCall call = new GatewayCall(requestId, endpoint, turn.channel(),
                UpstreamHeaderPolicy.callerHeadersToRelay(endpoint.dialect(), turn.headers()::getAll));
        turn.channel().onGone(call::markCallerGone);
        return call;
    }
}
