package io.caravan.routes;

import io.caravan.config.Beans;
import io.caravan.upstream.UpstreamFailure;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for every route. An {@link UpstreamFailure} (an error status, network fault or time-out before
 * anything reached the caller) is redelivered to the upstream step with the next credential for as long as the
 * rotation policy allows; whatever is left, and every other error, is answered in the caller's dialect.
 */
public class GatewayErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration()
                .onException(UpstreamFailure.class)
                    .retryWhile(method(Beans.CREDENTIAL_ROTATION, "mayRotate"))
                    .onRedeliveryRef(Beans.CREDENTIAL_ROTATION)
                    .redeliveryDelay(0)
                    .logRetryAttempted(false).logExhausted(false).logHandled(false)
                    .handled(true)
                    .process(Beans.FAILURE_REPLY)
                    .process(HookHeaders::describe).to(Hooks.AFTER_RESPONSE)
                .end()
                .onException(Exception.class)
                    .logExhausted(false).logHandled(false)
                    .handled(true)
                    .process(Beans.FAILURE_REPLY)
                    .process(HookHeaders::describe).to(Hooks.AFTER_RESPONSE)
                .end();
    }
}
