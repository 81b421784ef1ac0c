package io.caravan.routes;

import io.caravan.upstream.UpstreamFailure;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for the gateway's routes, in two configurations.
 *
 * <p>{@value #ROTATION} applies to the routes that only call the upstream: an {@link UpstreamFailure} (an error
 * status, network fault or time-out before anything reached the caller) is redelivered with the next credential for
 * as long as the rotation policy allows, and what is left is answered in the caller's dialect. The {@code retryWhile}
 * predicate only decides, the {@code onRedelivery} processor counts the retry, and the redelivered step leases the
 * next credential itself (see {@code CredentialRotation}). It is kept to those one-step routes because Camel copies
 * the exchange before every step of a route that may redeliver.
 *
 * <p>{@value #ERRORS} applies everywhere: any other error is answered in the caller's dialect.
 */
public class GatewayErrorHandling extends RouteConfigurationBuilder {

    public static final String ROTATION = "caravan-rotation";
    public static final String ERRORS = "caravan-errors";

    @Override
    public void configuration() {
        routeConfiguration(ROTATION)
                .onException(UpstreamFailure.class)
                    .retryWhile(method(Beans.CREDENTIAL_ROTATION, "mayRotate"))
                    .onRedeliveryRef(Beans.CREDENTIAL_ROTATION)
                    .redeliveryDelay(0)
                    .logRetryAttempted(false).logExhausted(false).logHandled(false)
                    .handled(true)
                    .process(Beans.FAILURE_REPLY)
                .end()
                // Anything else (the caller went away, say) goes back unlogged to the calling route, which answers it.
                .onException(Exception.class)
                    .logExhausted(false).logHandled(false).logRetryAttempted(false)
                .end();

        routeConfiguration(ERRORS)
                .onException(Exception.class)
                    .logExhausted(false).logHandled(false)
                    .handled(true)
                    .process(Beans.FAILURE_REPLY)
                    .process(HookHeaders::describe).process(Beans.AFTER_RESPONSE_HOOK_THREAD).to(Hooks.AFTER_RESPONSE)
                .end();
    }
}
