package io.caravan.server;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.DialectErrors;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Operation;
import io.caravan.dialects.Dialects;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.RequestIds;
import io.caravan.ingress.ClientAuthenticator;
import io.caravan.reply.AccessLog;
import io.caravan.reply.CallerReply;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Responses API's WebSocket mode: {@code GET /v1/responses} with {@code Upgrade: websocket}, what Codex CLI
 * prefers when its provider supports it. The handshake is authenticated like any request (401 in the OpenAI shape,
 * before upgrading); with the mode disabled it is refused with 426, which makes clients fall back to HTTP at once
 * (a 404 or 405 would cost them several reconnects first). A {@code GET} without the upgrade is left to the router
 * (405). Each upgraded socket is a {@link ResponsesSocket}, whose turns run through the Responses route.
 *
 * <p>Sockets are connections the {@link ConnectionGuard} must not close as idle (their own idle time-out applies),
 * and they take part in the shutdown drain: sockets with no turn in flight close at once with 1001 (going away),
 * the others once their turn is done, and whatever is left when the drain time is over ({@link #closeAll}).
 */
public final class ResponsesWebSockets implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesWebSockets.class);
    private static final String WEBSOCKET = "websocket";
    private static final String OPENAI_BETA = "openai-beta";
    /** Codex's beta flag for this protocol: it describes the socket, not the requests the upstream receives. */
    private static final String WEBSOCKET_BETA = "responses_websockets";

    private final GatewayServer server;
    private final ClientAuthenticator authenticator;
    private final ConnectionGuard guard;
    private final boolean enabled;
    private final Duration idle;
    private final Endpoint endpoint = Dialects.RESPONSES.endpoints().stream()
            .filter(e -> e.operation() == Operation.CHAT).findFirst().orElseThrow();
    private final Set<ResponsesSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile CamelContext camel;
    private volatile long maxBodyBytes;
    private volatile boolean draining;

    /**
     * @param enabled whether sockets are accepted (426 otherwise)
     * @param idle a socket with no turn in flight is closed after this long
     */
    public ResponsesWebSockets(GatewayServer server, ClientAuthenticator authenticator, ConnectionGuard guard,
            boolean enabled, Duration idle) {
        this.server = server;
        this.authenticator = authenticator;
        this.guard = guard;
        this.enabled = enabled;
        this.idle = idle;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = server.router(context);
        if (router == null) {
            return;
        }
        camel = context;
        maxBodyBytes = server.maxBodyBytes(context);
        install(router);
    }

    /** Ahead of platform-http's routes, so that the upgrade is seen before any route or the router's 405. */
    private void install(Router router) {
        router.route(HttpMethod.GET, endpoint.path()).order(Integer.MIN_VALUE + 1).handler(this::handshake);
    }

    String path() {
        return endpoint.path();
    }

    private void handshake(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!WEBSOCKET.equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            ctx.next();
            return;
        }
        if (!enabled) {
            refuse(ctx, 426, "WebSocket mode is disabled on this gateway (caravan.responses.websocket.enabled): "
                    + "use POST " + endpoint.path(), null);
            return;
        }
        if (!authenticator.authenticated(request)) {
            CallerError unauthenticated = CallerError.unauthenticated();
            refuse(ctx, unauthenticated.status(), unauthenticated.getMessage(), unauthenticated.openAiCode());
            return;
        }
        Context context = Vertx.currentContext();
        request.toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                // Vert.x has answered the handshake it could not accept (a missing Connection: Upgrade, say).
                LOG.debug("A WebSocket handshake on {} failed: {}", endpoint.path(), upgraded.cause().toString());
                return;
            }
            guard.webSocketOpened(request.connection());
            accept(upgraded.result(), context);
        });
    }

    private void accept(ServerWebSocket webSocket, Context context) {
        MultiMap turnHeaders = turnHeaders(webSocket.headers());
        ResponsesSocket socket = new ResponsesSocket(webSocket, context, this, turnHeaders,
                messageHeaders(turnHeaders, endpoint.path()), idle, maxBodyBytes);
        sockets.add(socket);
        socket.open();
        if (draining) {
            socket.drain();
        }
    }

    /** The caller's handshake headers as its turns' caller headers: the WebSocket protocol's own ones left out. */
    static MultiMap turnHeaders(MultiMap handshake) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : handshake) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("upgrade") || name.equals("connection") || name.startsWith("sec-websocket-")) {
                continue;
            }
            if (name.equals(OPENAI_BETA)) {
                String others = List.of(header.getValue().split(",")).stream().map(String::trim)
                        .filter(flag -> !flag.isEmpty() && !flag.startsWith(WEBSOCKET_BETA))
                        .collect(Collectors.joining(","));
                if (!others.isEmpty()) {
                    headers.add(header.getKey(), others);
                }
                continue;
            }
            headers.add(header.getKey(), header.getValue());
        }
        return headers;
    }

    /** The message headers a turn's exchange starts with, as platform-http would set them for the POST. */
    private static Map<String, Object> messageHeaders(MultiMap headers, String path) {
        Map<String, Object> message = new HashMap<>();
        for (String name : headers.names()) {
            List<String> values = headers.getAll(name);
            message.put(name, values.size() == 1 ? values.get(0) : List.copyOf(values));
        }
        message.put(Exchange.HTTP_METHOD, HttpMethod.POST.name());
        message.put(Exchange.HTTP_URI, path);
        return message;
    }

    private void refuse(RoutingContext ctx, int status, String message, String openAiCode) {
        Dialect dialect = Dialects.RESPONSES;
        String requestId = RequestIds.next();
        CallerReply.send(ctx.response(), requestId, status,
                Buffer.buffer(DialectErrors.body(dialect, status, message, openAiCode, requestId)));
        AccessLog.recordRouterAnswer(requestId, dialect, ctx.request().method().name(), ctx.request().path(), status);
    }

    /** The consumer of the Responses route, which runs the turns; null while the route is not running. */
    NonBlockingHttpConsumer consumer() {
        CamelContext context = camel;
        Route route = context == null ? null : context.getRoute(endpoint.routeId());
        if (route != null && route.getConsumer() instanceof PlatformHttpConsumerAware aware
                && aware.getPlatformHttpConsumer() instanceof NonBlockingHttpConsumer consumer) {
            return consumer;
        }
        return null;
    }

    void forget(ResponsesSocket socket) {
        sockets.remove(socket);
    }

    /** Sockets open now. */
    public int open() {
        return sockets.size();
    }

    /** Sockets with no turn in flight close now (1001), the others once their turn is done; no new ones are kept. */
    public void startDraining() {
        draining = true;
        for (ResponsesSocket socket : sockets) {
            socket.drain();
        }
    }

    /** Closes every socket still open (1001), a turn in flight or not: the drain time is over. */
    public void closeAll() {
        for (ResponsesSocket socket : sockets) {
            socket.closeNow();
        }
    }
}
