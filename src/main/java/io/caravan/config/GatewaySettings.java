package io.caravan.config;

import io.caravan.pool.CooldownPolicy;
import java.time.Duration;

/**
 * The request path's tunables in the types its classes use, converted from the bound {@link CaravanSettings}
 * (see {@link #from}); each is documented with its default in {@code caravan-defaults.properties}.
 *
 * @param requestRetry how many retryable failures one request may rotate past (429s do not count)
 * @param connectTimeout TCP/TLS connect time-out towards an upstream
 * @param firstByteTimeout time from sending a request to the upstream's response head (streams: its first event)
 * @param idleTimeout the longest silence tolerated in the middle of a stream before it is reported as stalled
 * @param requestDeadline an upper bound for one whole request, a stream included
 * @param keepAliveInterval silence after which an SSE comment is sent to the caller
 * @param queueMaxWait how long a request waits for a credential when every one is at its concurrency limit
 * @param queueMaxWaiting how many requests may wait at once; more are refused with 503 at once
 * @param cooldowns how long failing credentials stay out of rotation
 * @param maxConnectionsPerHost pooled upstream connections per upstream host
 * @param maxAnswerBytes the largest whole non-stream upstream answer held in memory
 * @param maxEventBytes the largest single SSE line or event accepted from an upstream
 * @param stallThreshold an attempt without a response head for this long when its caller leaves counts as a fault
 * @param answerTimeout the longest a whole non-stream answer may take, from sending the request to its last byte
 * @param listenerIdleTimeout a caller connection with no request in flight is closed after this long
 * @param listenerHeaderTimeout a new caller connection must complete its request head within this
 * @param listenerBodyTimeout a request body must be complete this long after its head (408 otherwise)
 * @param listenerMaxConnections open caller connections at most
 * @param shutdownDrain on shutdown, how long the requests being answered may still run
 * @param webSocketEnabled whether {@code GET /v1/responses} may be upgraded to a WebSocket (426 otherwise)
 * @param webSocketIdleTimeout a WebSocket with no turn in flight is closed after this long
 */
public record GatewaySettings(
        int requestRetry,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        Duration requestDeadline,
        Duration keepAliveInterval,
        Duration queueMaxWait,
        int queueMaxWaiting,
        CooldownPolicy cooldowns,
        int maxConnectionsPerHost,
        int maxAnswerBytes,
        int maxEventBytes,
        Duration stallThreshold,
        Duration answerTimeout,
        Duration listenerIdleTimeout,
        Duration listenerHeaderTimeout,
        Duration listenerBodyTimeout,
        int listenerMaxConnections,
        Duration shutdownDrain,
        boolean webSocketEnabled,
        Duration webSocketIdleTimeout) {

    /** The request path's view of the bound tree (validated, so every value is present and in range). */
    public static GatewaySettings from(CaravanSettings settings) {
        CaravanSettings.Timeout timeout = settings.getTimeout();
        CaravanSettings.Cooldown cooldown = settings.getCooldown();
        CaravanSettings.Listener listener = settings.getListener();
        CaravanSettings.Websocket websocket = settings.getResponses().getWebsocket();
        return new GatewaySettings(
                settings.getRequestRetry(),
                Duration.ofMillis(timeout.getConnectMs()),
                Duration.ofMillis(timeout.getFirstByteMs()),
                Duration.ofMillis(timeout.getIdleMs()),
                Duration.ofMillis(timeout.getRequestMs()),
                Duration.ofMillis(settings.getKeepAliveMs()),
                Duration.ofMillis(settings.getQueue().getMaxWaitMs()),
                settings.getQueue().getMaxWaiting(),
                new CooldownPolicy(Duration.ofMillis(cooldown.getTransientMs()),
                        Duration.ofMillis(cooldown.getRateLimitBaseMs()), Duration.ofMillis(cooldown.getRateLimitMaxMs()),
                        Duration.ofMillis(cooldown.getQuarantineMs())),
                settings.getUpstream().getMaxConnectionsPerHost(),
                settings.getLimits().getMaxAnswerBytes(),
                settings.getLimits().getMaxEventBytes(),
                Duration.ofMillis(timeout.getStallMs()),
                Duration.ofMillis(timeout.getAnswerMs()),
                Duration.ofMillis(listener.getIdleTimeoutMs()),
                Duration.ofMillis(listener.getHeaderTimeoutMs()),
                Duration.ofMillis(listener.getBodyTimeoutMs()),
                listener.getMaxConnections(),
                Duration.ofMillis(settings.getShutdown().getDrainMs()),
                websocket.getEnabled(),
                Duration.ofMillis(websocket.getIdleTimeoutMs()));
    }
}
