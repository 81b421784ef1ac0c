package io.caravan.exchange;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialect.Refusal;
import io.caravan.routing.SessionKey;
import java.util.List;
import java.util.Map;

/**
 * What the caller asked, fixed once the gate has read it: nothing here changes while the request is served, however
 * many credentials it tries. Before the body is read (a request refused at the gate) only the identity is known.
 *
 * @param startNanos when the request arrived ({@link System#nanoTime()}): the base of its deadline
 * @param relayedHeaders the caller's headers its dialect relays upstream (see {@code UpstreamHeaderPolicy}), by name
 * @param json the parsed body, {@code null} until the body was read
 * @param untranslatable why the request cannot be translated to another dialect, so that only credentials speaking
 *     its own may serve it; {@code null} when it can be (see {@code Dialect#refusal})
 * @param client which client key the caller presented (see {@code ClientAuthenticator#client}), {@code null} until
 *     the gate authenticated it
 * @param pinnedCredential the only credential that may serve it: the one holding the stored answer it continues;
 *     {@code null} for any
 * @param session the session the request names, scoped to its client (see {@code SessionKeySource}); {@code null}
 *     when it names none
 */
public record CallerRequest(String requestId, Endpoint endpoint, long startNanos,
        Map<String, List<String>> relayedHeaders, String model, boolean stream, byte[] body, Map<String, Object> json,
        Refusal untranslatable, String client, String pinnedCredential, SessionKey session) {

    /**
     * The exchange property holding the model a path names ({@code /v1beta/models/{model}:generateContent}), for a
     * dialect whose bodies do not ({@code Dialect#modelInBody}).
     */
    public static final String PATH_MODEL = "caravan.path-model";
    /** The exchange property holding the action a path asks of its model ({@code generateContent}). */
    public static final String PATH_ACTION = "caravan.path-action";

    /** A request that has just arrived, its body not yet read. */
    public static CallerRequest arrived(String requestId, Endpoint endpoint, Map<String, List<String>> relayedHeaders) {
        return new CallerRequest(requestId, endpoint, System.nanoTime(), relayedHeaders, null, false, null, null, null, null, null, null);
    }

    /** The same request with its body read and checked. */
    public CallerRequest withBody(String model, boolean stream, byte[] body, Map<String, Object> json,
            Refusal untranslatable, String client, String pinnedCredential) {
        return new CallerRequest(requestId, endpoint, startNanos, relayedHeaders, model, stream, body, json,
                untranslatable, client, pinnedCredential, session);
    }

    /** The same request, of the session the gate read from it. */
    public CallerRequest withSession(SessionKey session) {
        return new CallerRequest(requestId, endpoint, startNanos, relayedHeaders, model, stream, body, json,
                untranslatable, client, pinnedCredential, session);
    }

    public Dialect dialect() {
        return endpoint.dialect();
    }
}
