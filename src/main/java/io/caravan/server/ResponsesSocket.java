package io.caravan.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.WebSocketTurn;
import io.caravan.reply.AccessLog;
import io.caravan.reply.WebSocketCallerChannel;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Responses WebSocket: its frames, its turns one at a time, its idle time-out and its close.
 *
 * <p>Each {@code {"type":"response.create", …request}} frame is one turn, served by the Responses route exactly as
 * {@code POST /v1/responses} with {@code stream: true} (see {@link NonBlockingHttpConsumer#serveTurn}), its events
 * and errors written as frames ({@link WebSocketCallerChannel}). A turn with {@code generate: false} is a prewarm:
 * Codex CLI opens its socket with one and waits for its {@code response.completed}; the gateway answers it itself
 * with an empty response, without an upstream. {@code response.processed} frames (Codex acknowledging a response)
 * need no answer. Anything else, and a frame that is not JSON, gets an error frame, and the socket stays open.
 *
 * <p>One turn at a time: a frame arriving while a turn is in flight waits, and runs when that turn is done (the
 * caller may send its next turn as soon as it read {@code response.completed}, before the gateway has finished its
 * bookkeeping); a second one waiting is refused with an error frame. A socket with no turn in flight is closed
 * after the idle time-out. Everything here runs on the socket's event loop.
 */
final class ResponsesSocket {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesSocket.class);
    private static final ObjectMapper JSON = JsonCodec.mapper();
    private static final String LOG_METHOD = NonBlockingHttpConsumer.TURN_METHOD;
    private static final short NORMAL = 1000;
    private static final short GOING_AWAY = 1001;
    private static final short TOO_BIG = 1009;

    private final ServerWebSocket socket;
    private final Context context;
    private final ResponsesWebSockets endpoint;
    private final MultiMap turnHeaders;
    private final Map<String, Object> messageHeaders;
    private final SocketConversation conversation;
    private final long idleMillis;
    private final long maxBodyBytes;

    private WebSocketCallerChannel current;
    private String waiting;
    private long idleTimer = -1;
    private boolean draining;
    private boolean closed;

    ResponsesSocket(ServerWebSocket socket, Context context, ResponsesWebSockets endpoint, MultiMap turnHeaders,
            Map<String, Object> messageHeaders, Duration idle, long maxBodyBytes) {
        this.socket = socket;
        this.context = context;
        this.endpoint = endpoint;
        this.turnHeaders = turnHeaders;
        this.messageHeaders = messageHeaders;
        this.idleMillis = idle.toMillis();
        this.maxBodyBytes = maxBodyBytes;
        this.conversation = new SocketConversation(maxBodyBytes);
    }

    /** Starts reading frames; on the socket's event loop. */
    void open() {
        socket.textMessageHandler(this::onFrame);
        socket.binaryMessageHandler(binary -> onFrame(null));
        socket.exceptionHandler(this::onFailure);
        socket.closeHandler(v -> onClosed());
        armIdle();
    }

    private void onFrame(String text) {
        if (closed) {
            return;
        }
        cancelIdle();
        if (current != null) {
            if (waiting == null) {
                waiting = text;
            } else {
                reject(409, "A turn is in flight on this socket and another waits: send the next response.create "
                        + "after response.completed");
            }
            return;
        }
        start(text);
        if (current == null) {
            armIdle();
        }
    }

    private void start(String text) {
        if (text == null) {
            reject(400, "Frames must be text: a JSON object such as {\"type\":\"response.create\", ...}");
            return;
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            reject(400, "The frame is not valid JSON"
                    + (e.getLocation() == null ? "" : " near column " + e.getLocation().getColumnNr()));
            return;
        }
        if (frame == null || !frame.isObject()) {
            reject(400, "A frame must be a JSON object such as {\"type\":\"response.create\", ...}");
            return;
        }
        String type = frame.path("type").asText("");
        if (type.equals("response.processed")) {
            return;
        }
        if (!type.equals("response.create")) {
            reject(400, "Unsupported frame type '" + type + "': send {\"type\":\"response.create\", ...request}");
            return;
        }
        ObjectNode request = (ObjectNode) frame;
        request.remove("type");
        JsonNode generate = request.remove("generate");
        SocketConversation.Turn turn = conversation.begin(request);
        if (generate != null && generate.isBoolean() && !generate.asBoolean()) {
            prewarm(request, turn);
            return;
        }
        request.put("stream", true);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        if (body.length > maxBodyBytes) {
            reject(413, "The request (with the conversation this socket holds) is larger than this gateway accepts");
            return;
        }
        NonBlockingHttpConsumer consumer = endpoint.consumer();
        if (consumer == null) {
            reject(503, "The Responses route is not running");
            return;
        }
        WebSocketCallerChannel channel = new WebSocketCallerChannel(socket, turn::onEvent);
        current = channel;
        consumer.serveTurn(new WebSocketTurn(channel, turnHeaders), new HashMap<>(messageHeaders), Buffer.buffer(body),
                () -> finished(turn));
    }

    /** A prewarm answered by the gateway: an empty response, created and completed, with one access-log line. */
    private void prewarm(ObjectNode request, SocketConversation.Turn turn) {
        String requestId = RequestIds.next();
        String responseId = PrewarmAnswer.responseId();
        String model = request.path("model").asText("");
        socket.writeTextMessage(PrewarmAnswer.created(responseId, model));
        socket.writeTextMessage(PrewarmAnswer.completed(responseId, model));
        turn.prewarmed(responseId);
        AccessLog.recordRouterAnswer(requestId, Dialects.RESPONSES, LOG_METHOD, endpoint.path(), 200);
    }

    /** The turn's exchange is done: the next frame, if one waits, is the next turn. */
    private void finished(SocketConversation.Turn turn) {
        turn.finish();
        current = null;
        if (closed) {
            return;
        }
        if (draining) {
            if (waiting != null) {
                waiting = null;
                reject(503, "The gateway is shutting down; open a new socket in a moment");
            }
            close(GOING_AWAY, "The gateway is shutting down");
            return;
        }
        if (waiting != null) {
            String next = waiting;
            waiting = null;
            start(next);
        }
        if (current == null) {
            armIdle();
        }
    }

    /** An error frame for a frame the gateway answers itself, with its access-log line. */
    private void reject(int status, String message) {
        String requestId = RequestIds.next();
        socket.writeTextMessage(WebSocketCallerChannel.errorFrame(status, requestId,
                Buffer.buffer(DialectErrors.body(Dialects.RESPONSES, status, message, requestId)), null));
        AccessLog.recordRouterAnswer(requestId, Dialects.RESPONSES, LOG_METHOD, endpoint.path(), status);
    }

    /**
     * Vert.x reports a message over the size limit (a frame over it is refused by the codec, which closes the socket
     * with 1009 itself) as an {@link IllegalStateException}: the message is gone, and so is the socket's framing.
     */
    private void onFailure(Throwable failure) {
        if (failure instanceof IllegalStateException && !closed) {
            reject(413, "The frame is larger than this gateway accepts (" + maxBodyBytes + " bytes)");
            close(TOO_BIG, "Message too big");
            return;
        }
        LOG.debug("A Responses WebSocket failed: {}", failure.toString());
    }

    private void onClosed() {
        closed = true;
        cancelIdle();
        waiting = null;
        endpoint.forget(this);
        WebSocketCallerChannel turn = current;
        if (turn != null) {
            turn.socketClosed();
        }
    }

    /** From now on the socket closes (1001) as soon as it has no turn in flight; any thread. */
    void drain() {
        context.runOnContext(v -> {
            draining = true;
            if (current == null && !closed) {
                close(GOING_AWAY, "The gateway is shutting down");
            }
        });
    }

    /** Closes the socket (1001) now, a turn in flight or not; any thread. */
    void closeNow() {
        context.runOnContext(v -> {
            if (!closed) {
                close(GOING_AWAY, "The gateway is shutting down");
            }
        });
    }

    private void close(short code, String reason) {
        cancelIdle();
        socket.close(code, reason);
    }

    private void armIdle() {
        cancelIdle();
        if (!closed) {
            idleTimer = context.owner().setTimer(idleMillis, id -> {
                idleTimer = -1;
                if (current == null && !closed) {
                    close(NORMAL, "Idle for " + idleMillis + " ms");
                }
            });
        }
    }

    private void cancelIdle() {
        if (idleTimer >= 0) {
            context.owner().cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }
}
