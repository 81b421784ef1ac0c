package io.caravan.upstream;

import io.caravan.dialect.Dialect;
import io.caravan.pool.Credential;
import io.caravan.support.LogSafe;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which headers besides the gateway's own an upstream request carries: the one place that decides it.
 *
 * <p><b>Caller headers</b> are never copied wholesale: a caller's headers would otherwise let anyone pick the pool's
 * organisation, project or host. Only the names the dialect relays ({@code Dialect.relayedCallerHeaders}) pass, and only when the caller and the
 * credential speak the same dialect (a translated call passes none, since the other provider does not know them):
 *
 * <table>
 *   <caption>Caller headers relayed upstream</caption>
 *   <tr><th>caller</th><th>credential</th><th>headers</th></tr>
 *   <tr><td>Anthropic</td><td>Anthropic</td><td>{@code anthropic-version}, {@code anthropic-beta}</td></tr>
 *   <tr><td>OpenAI</td><td>OpenAI</td><td>{@code openai-beta}</td></tr>
 *   <tr><td colspan="2">translated</td><td>none</td></tr>
 * </table>
 *
 * <p><b>Hook headers</b> (set by a {@code before-upstream} hook route, see {@code routes/Hooks}) pass unless the
 * gateway owns the header: framing and routing ({@code Host}, {@code Content-Length}, {@code Transfer-Encoding},
 * {@code Content-Encoding}, {@code Expect}), every provider's credential header, the hop-by-hop headers, and the
 * content negotiation the relay depends on ({@code Accept}, {@code Content-Type}). A header with a name or value no
 * HTTP request may carry is dropped too.
 */
public final class UpstreamHeaderPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHeaderPolicy.class);
    private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("caravan/0.1");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

    /** Lower-case names a hook may never set. */
    static final Set<String> GATEWAY_OWNED = Set.of(
            // Framing and routing: the gateway writes the body and picks the host.
            "host", "content-length", "transfer-encoding", "content-encoding", "expect",
            // Credentials of any kind, so that no hook can swap the pool's key for another.
            "authorization", "x-api-key", "x-goog-api-key",
            // Hop-by-hop headers (RFC 9110, section 7.6.1) belong to one connection, never to the request.
            "connection", "keep-alive", "te", "trailer", "upgrade",
            // The relay expects the answer it asked for, in the format it sends.
            "accept", "content-type");
    private static final String PROXY_PREFIX = "proxy-";
    /** Distinct rejected hook header names warned about; a hook's headers are few, so this only bounds a bug. */
    private static final int MAX_WARNED = 64;
    private static final Set<String> warned = ConcurrentHashMap.newKeySet();

    private UpstreamHeaderPolicy() {
    }

    /**
     * Every header of one upstream request: the hook's, then the gateway's own and the credential's (which no hook
     * can replace), then the caller's relayed protocol headers ({@code anthropic-version}), which replace the
     * credential's defaults; nothing else of the caller's passes.
     *
     * @param hookHeaders set by a before-upstream hook
     * @param callerDialect the caller's dialect
     * @param callerHeaders the caller's headers taken by {@link #callerHeadersToRelay}
     */
    public static MultiMap headers(Map<String, String> hookHeaders, Dialect callerDialect,
            Map<String, List<String>> callerHeaders, Credential credential, boolean stream, int bodyLength) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        addHookHeaders(hookHeaders, headers);
        headers.set(HttpHeaders.CONTENT_TYPE, JSON);
        headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(bodyLength));
        headers.set(HttpHeaders.ACCEPT, stream ? EVENT_STREAM : JSON);
        headers.set(HttpHeaders.USER_AGENT, USER_AGENT);
        credential.answersIn(callerDialect).addCredentialHeaders(credential.spec().apiKey(), headers::set);
        addCallerHeaders(callerDialect, callerHeaders, credential, headers);
        return headers;
    }

    /**
     * The caller's headers that may go upstream, taken when the request arrives: the names its dialect relays, each
     * with the values the caller sent ({@code valuesOf} returns an empty list for a header it did not send).
     */
    public static Map<String, List<String>> callerHeadersToRelay(Dialect callerDialect,
            Function<String, List<String>> valuesOf) {
        Map<String, List<String>> relayed = null;
        for (String name : callerDialect.relayedCallerHeaders()) {
            List<String> values = valuesOf.apply(name);
            if (!values.isEmpty()) {
                if (relayed == null) {
                    relayed = new LinkedHashMap<>(4);
                }
                relayed.put(name, values);
            }
        }
        return relayed == null ? Map.of() : Collections.unmodifiableMap(relayed);
    }

    /** Adds the headers a before-upstream hook set, less those the gateway owns or HTTP forbids. */
    static void addHookHeaders(Map<String, String> hookHeaders, MultiMap upstream) {
        for (Map.Entry<String, String> h : hookHeaders.entrySet()) {
            if (hookMaySet(h.getKey()) && validValue(h.getValue())) {
                upstream.set(h.getKey(), h.getValue());
            } else {
                warnOnce(h.getKey());
            }
        }
    }

    /** Adds the relayed caller headers, when the credential speaks the caller's dialect. */
    private static void addCallerHeaders(Dialect callerDialect, Map<String, List<String>> callerHeaders,
            Credential credential, MultiMap upstream) {
        if (!credential.speaks(callerDialect)) {
            return;
        }
        for (Map.Entry<String, List<String>> h : callerHeaders.entrySet()) {
            upstream.set(h.getKey(), h.getValue());
        }
    }

    /** Whether a hook may set the header: a valid name the gateway does not own. */
    static boolean hookMaySet(String name) {
        if (!validName(name)) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return !GATEWAY_OWNED.contains(lower) && !lower.startsWith(PROXY_PREFIX);
    }

    /** An HTTP token (RFC 9110, section 5.6.2). */
    private static boolean validName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** Visible characters, spaces and tabs only: a CR or LF would split the request. */
    private static boolean validValue(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    private static void warnOnce(String name) {
        if (warned.size() < MAX_WARNED && warned.add(String.valueOf(name).toLowerCase(Locale.ROOT))) {
            LOG.warn("A before-upstream hook set the upstream header {}, which is not sent: the gateway owns it, "
                    + "or its name or value is not valid HTTP", LogSafe.text(name));
        }
    }
}
