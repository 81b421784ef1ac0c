package io.caravan.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The request flow shared by every dialect: content-based routing on the {@code stream} flag, the before-upstream
 * hook (which may change the model and the body, so it runs before a credential is chosen; a stream opens its relay
 * first, so that keep-alives cover a slow hook), a credential leased from the pool, the upstream call (retried with
 * another credential, see {@link GatewayErrorHandling}), the answer, the after-response hook.
 */
public class UpstreamRoutes extends RouteBuilder {

    public static final String DISPATCH = "direct:caravan-dispatch";
    public static final String UNARY = "direct:caravan-unary";
    public static final String STREAM = "direct:caravan-stream";
    static final String UNARY_CALL = "direct:caravan-unary-call";
    static final String STREAM_CALL = "direct:caravan-stream-call";

    @Override
    public void configure() {
        from(DISPATCH).routeId("dispatch").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .choice()
                    .when().jsonpath("$[?(@.stream == true)]", true)
                        .to(STREAM)
                    .otherwise()
                        .to(UNARY);

        from(UNARY).routeId("unary").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .process(HookHeaders::present).process(Beans.BEFORE_UPSTREAM_HOOK_THREAD).to(Hooks.BEFORE_UPSTREAM).process(Beans.HOOK_CHANGES)
                .process(Beans.LEASE_CREDENTIAL)
                .to(UNARY_CALL)
                .process(HookHeaders::describe).process(Beans.AFTER_RESPONSE_HOOK_THREAD).to(Hooks.AFTER_RESPONSE);

        from(STREAM).routeId("stream").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.STREAM_UPSTREAM_CALL, "openRelay")
                .process(HookHeaders::present).process(Beans.BEFORE_UPSTREAM_HOOK_THREAD).to(Hooks.BEFORE_UPSTREAM).process(Beans.HOOK_CHANGES)
                .process(Beans.LEASE_CREDENTIAL)
                .to(STREAM_CALL)
                .process(HookHeaders::describe).process(Beans.AFTER_RESPONSE_HOOK_THREAD).to(Hooks.AFTER_RESPONSE);

        // The steps the rotation policy redelivers, each alone in its route.
        from(UNARY_CALL).routeId("unary-upstream-call").routeConfigurationId(GatewayErrorHandling.ROTATION)
                .process(Beans.UNARY_UPSTREAM_CALL);

        from(STREAM_CALL).routeId("stream-upstream-call").routeConfigurationId(GatewayErrorHandling.ROTATION)
                .process(Beans.STREAM_UPSTREAM_CALL);
    }
}
