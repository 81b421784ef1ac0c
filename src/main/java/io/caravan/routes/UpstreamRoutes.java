package io.caravan.routes;

import io.caravan.config.Beans;
import org.apache.camel.builder.RouteBuilder;

/**
 * The request flow shared by every dialect: content-based routing on the {@code stream} flag, a credential leased
 * from the pool, the upstream call (retried on another credential by {@link GatewayErrorHandling}), and the answer.
 */
public class UpstreamRoutes extends RouteBuilder {

    public static final String DISPATCH = "direct:caravan-dispatch";
    public static final String UNARY = "direct:caravan-unary";
    public static final String STREAM = "direct:caravan-stream";

    @Override
    public void configure() {
        from(DISPATCH).routeId("dispatch")
                .choice()
                    .when().jsonpath("$[?(@.stream == true)]", true)
                        .to(STREAM)
                    .otherwise()
                        .to(UNARY);

        from(UNARY).routeId("unary-upstream")
                .process(Beans.LEASE_CREDENTIAL)
                .to(Hooks.BEFORE_UPSTREAM).process(HookHeaders::collectUpstreamHeaders)
                .process(Beans.UNARY_UPSTREAM_CALL)
                .process(HookHeaders::describe).to(Hooks.AFTER_RESPONSE);

        from(STREAM).routeId("stream-upstream")
                .bean(Beans.STREAM_UPSTREAM_CALL, "openRelay")
                .process(Beans.LEASE_CREDENTIAL)
                .to(Hooks.BEFORE_UPSTREAM).process(HookHeaders::collectUpstreamHeaders)
                .process(Beans.STREAM_UPSTREAM_CALL)
                .process(HookHeaders::describe).to(Hooks.AFTER_RESPONSE);
    }
}
