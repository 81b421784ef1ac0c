package io.caravan.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.JsonCodec;
import io.caravan.dialect.StreamFraming;
import io.caravan.exchange.CallerHeaders;
import io.caravan.relay.CallerChannel;
import io.caravan.relay.CallerDeparture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The caller's channel for one turn on a Responses WebSocket ({@code GET /v1/responses} upgraded). The socket stays
 * open after the turn; what the turn's processors write becomes frames on it:
 *
 * <ul>
 *   <li>each event of the stream is one text frame holding the event's JSON (its SSE {@code data}); no event names,
 *       no SSE framing;</li>
 *   <li>a whole answer (an error before the first event: the gate's 400 or 401, no credential, an upstream's error)
 *       is one frame {@code {"type":"error","status":N,"error":{…},"headers":{…}}}, the error object as the HTTP
 *       answer would carry it and its headers ({@code x-request-id}, {@code retry-after}) beside it;</li>
 *   <li>a keep-alive is a WebSocket ping: an SSE comment has no place among JSON frames.</li>
 * </ul>
 *
 * <p>A socket has no response head: nothing is committed until the first event frame, so keep-alives sent while a
 * turn waits for its credential or its upstream leave its errors whole ({@link #headSent} stays false until then).
 */
public final class WebSocketCallerChannel implements CallerChannel {

    private static final ObjectMapper JSON = JsonCodec.mapper();
    private static final byte[] DATA_FIELD = "data: ".getBytes(StandardCharsets.US_ASCII);

    private final ServerWebSocket socket;
    private final Consumer<String> eventWatcher;
    private volatile boolean answered;
    private volatile boolean eventSent;
    private final CallerDeparture departure = new CallerDeparture();

    /** @param eventWatcher sees each event's JSON as it goes out, on the thread that writes it */
    public WebSocketCallerChannel(ServerWebSocket socket, Consumer<String> eventWatcher) {
        this.socket = socket;
        this.eventWatcher = eventWatcher;
    }

    @Override
    public void answer(int status, CharSequence contentType, String requestId, Buffer body,
            Map<String, String> extraHeaders) {
        if (answered || departure.gone() || eventSent) {
            return;
        }
        answered = true;
        socket.writeTextMessage(status >= 400 ? errorFrame(status, requestId, body, extraHeaders) : body.toString());
    }

    /** The OpenAI error of an HTTP answer, as the error frame the Responses WebSocket protocol has for it. */
    public static String errorFrame(int status, String requestId, Buffer body, Map<String, String> extraHeaders) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "error");
        frame.put("status", status);
        frame.set("error", errorObject(body));
        ObjectNode headers = frame.putObject("headers");
        if (requestId != null) {
            headers.put(CallerHeaders.REQUEST_ID, requestId);
        }
        if (extraHeaders != null) {
            extraHeaders.forEach(headers::put);
        }
        return frame.toString();
    }

    private static JsonNode errorObject(Buffer body) {
        try {
            JsonNode error = JSON.readTree(body.getBytes()).get("error");
            if (error != null && error.isObject()) {
                return error;
            }
        } catch (IOException notJson) {
            // Every error the gateway answers is JSON in the OpenAI shape; anything else is carried as its message.
        }
        ObjectNode error = JSON.createObjectNode();
        error.put("message", body.toString());
        error.put("type", "api_error");
        return error;
    }

    /** A socket is open from its handshake on: there is no head to send. */
    @Override
    public void startStream(String requestId, StreamFraming framing) {
    }

    @Override
    public void writeEvent(Buffer event) {
        if (departure.gone()) {
            return;
        }
        eventSent = true;
        String data = dataOf(event);
        socket.writeTextMessage(data);
        eventWatcher.accept(data);
    }

    /**
     * The {@code data} of one event in the wire form the relay writes ({@code event:} line, then one {@code data: }
     * line per line of the data): the lines of the data joined again.
     */
    static String dataOf(Buffer event) {
        byte[] bytes = event.getBytes();
        StringBuilder data = new StringBuilder(bytes.length);
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (startsWith(bytes, start, end, DATA_FIELD)) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(new String(bytes, start + DATA_FIELD.length, end - start - DATA_FIELD.length,
                        StandardCharsets.UTF_8));
            }
            start = end + 1;
        }
        return data.toString();
    }

    private static boolean startsWith(byte[] bytes, int start, int end, byte[] prefix) {
        if (end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void writeKeepAlive() {
        if (!departure.gone()) {
            socket.writePing(Buffer.buffer());
        }
    }

    /** Ends the turn's answer; the socket stays open for the next turn. */
    @Override
    public void end() {
        answered = true;
    }

    @Override
    public boolean ended() {
        return answered || departure.gone();
    }

    @Override
    public boolean headSent() {
        return eventSent;
    }

    @Override
    public void onGone(Runnable listener) {
        departure.onGone(listener);
    }

    /** The socket closed: nothing more reaches the caller, and the turn's listener learns it. */
    public void socketClosed() {
        departure.leave();
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable resume) {
        socket.drainHandler(v -> resume.run());
    }
}
