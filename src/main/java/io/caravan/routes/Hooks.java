package io.caravan.routes;

import io.caravan.ingress.CallerGate;
import io.caravan.upstream.UpstreamHeaderPolicy;

/**
 * Hook points the Java routes call and users may implement as YAML routes in {@code routes/}. A hook with no route
 * behind it is skipped at once ({@code failIfNoConsumers=false}).
 *
 * <ul>
 *   <li>{@code direct:caravan-before-upstream}: runs once per request, after the caller was admitted and before a
 *       credential is leased. The body is the parsed request (a map; for Gemini it names {@code model} and
 *       {@code stream} too); the headers are the caller's (never its key: {@code Authorization}, {@code x-api-key},
 *       {@code x-goog-api-key}, {@code Cookie} and {@code ?key=} are removed at the gate) and {@code CaravanRequestId},
 *       {@code CaravanClient} (the client key's name), {@code CaravanModel} (the model asked for, as the caller wrote
 *       it). The hook may change the request ({@link HookChanges}): set {@code CaravanModel} to send it to another
 *       model's credentials; change or replace the body (another map, or JSON text) to send that instead, checked
 *       again and in the dialect of whichever credential serves it; set {@code upstream-<Name>} headers to send
 *       {@code <Name>} upstream, unless the gateway owns {@code <Name>} (see {@link UpstreamHeaderPolicy}). A caller
 *       cannot set any of these: its own {@code upstream-*} and {@code Caravan*} headers are dropped before the hook
 *       runs. The client's allow-list was checked against the model the caller asked for; the model the hook picks
 *       is the operator's choice.</li>
 *   <li>{@code direct:caravan-after-response}: runs after the answer was sent (or the stream ended), so it cannot
 *       change the answer. Headers {@code CaravanRequestId}, {@code CaravanClient}, {@code CaravanModel},
 *       {@code CaravanCredential}, {@code CaravanStatus}, {@code CaravanAttempts}, {@code CaravanInputTokens},
 *       {@code CaravanOutputTokens} describe the request ({@code CaravanModel} escaped and truncated as in the
 *       access log, since it may be the caller's text).</li>
 * </ul>
 */
public final class Hooks {

    public static final String BEFORE_UPSTREAM = "direct:caravan-before-upstream?block=false&failIfNoConsumers=false";
    public static final String AFTER_RESPONSE = "direct:caravan-after-response?block=false&failIfNoConsumers=false";

    /**
     * Prefix of headers a before-upstream hook sets to add a header to the upstream request. Callers' headers with
     * this prefix never get this far ({@link CallerGate} drops them), and what a hook sets is still filtered by
     * {@link UpstreamHeaderPolicy}.
     */
    public static final String UPSTREAM_HEADER_PREFIX = CallerGate.UPSTREAM_HEADER_PREFIX;

    private Hooks() {
    }
}
