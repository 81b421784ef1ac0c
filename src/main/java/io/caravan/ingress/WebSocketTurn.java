package io.caravan.ingress;

import io.caravan.relay.CallerChannel;
import io.vertx.core.MultiMap;

/**
 * A Responses request that arrived as a {@code response.create} frame on a WebSocket rather than as an HTTP request:
 * the exchange property the {@link CallerGate} reads instead of the HTTP message. The turn is answered on its own
 * channel (frames on the socket), and its caller is the one who opened the socket.
 *
 * @param channel the turn's side of the socket
 * @param headers the caller's headers from the socket's handshake, those of the WebSocket protocol itself removed
 */
public record WebSocketTurn(CallerChannel channel, MultiMap headers) {

    /** The exchange property that carries the turn. */
    public static final String PROPERTY = "caravan.websocket-turn";
}
