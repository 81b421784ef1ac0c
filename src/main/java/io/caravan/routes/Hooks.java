package io.caravan.routes;

import io.caravan.ingress.CallerGate;
import io.caravan.upstream.UpstreamHeaderPolicy;

/**
 * Hook points the Java routes call and users may implement as YAML routes in {@code routes/}. A hook with no route
 * behind it is skipped at once ({@code failIfNoConsumers=false}).
 *
 * <ul>
 *   <li>{@code direct:caravan-before-upstream}: runs once per request before the first upstream attempt. The body is
 *       the parsed request (a map); headers named {@code upstream-<Name>} set there are sent upstream as
 *       {@code <Name>}, unless the gateway owns {@code <Name>} (see {@link UpstreamHeaderPolicy}). A caller cannot
 *       set them: its own {@code upstream-*} headers are dropped before the hook runs.</li>
 *   <li>{@code direct:caravan-after-response}: runs after the answer was sent (or the stream ended). Headers
 *       {@code CaravanRequestId}, {@code CaravanModel}, {@code CaravanCredential}, {@code CaravanStatus},
 *       {@code CaravanAttempts} describe the request ({@code CaravanModel} escaped and truncated as in the access
 *       log, since it is the caller's text).</li>
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
