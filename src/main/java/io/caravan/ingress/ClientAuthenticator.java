package io.caravan.ingress;

import io.caravan.clients.ClientRegistry;
import io.caravan.clients.ClientSpec;
import io.caravan.exchange.CallerError;
import io.caravan.exchange.CallerHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.function.Function;

/**
 * Tells which client a request comes from, by the key it presents in any of the headers the supported SDKs send
 * ({@code Authorization: Bearer}, {@code x-api-key}, {@code x-goog-api-key}), on every endpoint. The keys themselves
 * are the {@link ClientRegistry}'s: the clients file, {@code caravan.client-keys} and the keys made at run time.
 */
public final class ClientAuthenticator {

    private static final String BEARER = "bearer ";
    /** The query parameter Google's APIs take a key in ({@code ?key=}): never logged, never sent upstream. */
    public static final String KEY_PARAMETER = "key";
    /** The client of an open gateway, which has no client keys. */
    public static final String ANYONE = ClientRegistry.ANYONE;

    private final ClientRegistry registry;

    public ClientAuthenticator(ClientRegistry registry) {
        this.registry = registry;
    }

    /** With no client keys configured the gateway is open (and listens on loopback only). */
    public boolean open() {
        return registry.open();
    }

    public int keyCount() {
        return registry.size();
    }

    /** The clients' names (no secret), for the start-up report. */
    public java.util.List<String> clientNames() {
        return registry.all().stream().map(ClientSpec::name).toList();
    }

    public boolean authenticated(HttpServerRequest request) {
        ClientSpec client = knownClient(request);
        return client != null && client.usable(Instant.now());
    }

    /** @param header the caller's header by name, {@code null} when absent (a WebSocket's handshake headers) */
    public boolean authenticated(Function<String, String> header) {
        return client(header) != null;
    }

    /**
     * The name of the client whose usable key the request presents, {@link #ANYONE} when the gateway is open, or
     * {@code null} when it presents no usable key (none, an unknown one, an expired or disabled one). What one client
     * made (a kept response) is kept from the others by this name.
     *
     * @param header the caller's header by name, {@code null} when absent
     */
    public String client(Function<String, String> header) {
        ClientSpec client = registry.find(presentedKey(header));
        return client != null && client.usable(Instant.now()) ? client.name() : null;
    }

    /**
     * The client of the key the request presents, usable or not, {@code null} for no known key: a request refused
     * for a key that expired or is switched off is still that client's, and metered as such.
     */
    public ClientSpec knownClient(Function<String, String> header) {
        return registry.find(presentedKey(header));
    }

    /** As {@link #knownClient(Function)}, also taking a key from the query ({@link #KEY_PARAMETER}). */
    public ClientSpec knownClient(Function<String, String> header, Function<String, String> query) {
        return registry.find(presentedKey(header, query));
    }

    /** As {@link #knownClient(Function, Function)}, for a request of the HTTP server. */
    public ClientSpec knownClient(HttpServerRequest request) {
        return knownClient(request::getHeader, request::getParam);
    }

    /** The client named {@code name}, usable or not, {@code null} for none: a caller inside the gateway's process. */
    public ClientSpec byName(String name) {
        return registry.byName(name);
    }

    /**
     * {@code known} when its key may be used now.
     *
     * @throws CallerError 401 for no known key, or one that expired or is disabled (saying which)
     */
    public static ClientSpec usable(ClientSpec known) throws CallerError {
        if (known == null) {
            throw CallerError.unauthenticated();
        }
        String unusable = known.unusableReason(Instant.now());
        if (unusable != null) {
            throw new CallerError(401, "The client key of '" + known.name() + "' cannot be used: " + unusable,
                    "invalid_api_key");
        }
        return known;
    }

    /**
     * The key a request presents, in whichever header its SDK sends it, or as Google's clients may, in the query's
     * {@code key} parameter; {@code null} for none.
     *
     * @param header the caller's header by name, {@code null} when absent
     * @param query  the caller's query parameter by name, {@code null} when absent
     */
    static String presentedKey(Function<String, String> header, Function<String, String> query) {
        String key = presentedKey(header);
        if (key != null) {
            return key;
        }
        String queryKey = query.apply(KEY_PARAMETER);
        return queryKey != null ? queryKey.trim() : null;
    }

    /** The key a request presents, in whichever header its SDK sends it; {@code null} for none. */
    static String presentedKey(Function<String, String> header) {
        String authorization = header.apply(CallerHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        String apiKey = header.apply(CallerHeaders.X_API_KEY);
        if (apiKey != null) {
            return apiKey.trim();
        }
        String googKey = header.apply(CallerHeaders.X_GOOG_API_KEY);
        return googKey != null ? googKey.trim() : null;
    }
}
