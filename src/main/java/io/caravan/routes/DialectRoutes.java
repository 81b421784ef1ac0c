package io.caravan.routes;

import io.caravan.dialect.Dialect;
import io.caravan.dialect.Endpoint;
import io.caravan.dialects.Dialects;
import io.caravan.server.EventLoopSafety;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * The ingress of every registered dialect: one route per endpoint a dialect declares, admitted by the endpoint's
 * gate and sent on by its operation. A chat goes to the upstream dispatch; token counting is a plain
 * request/response, forwarded to a credential of the caller's dialect, or estimated locally for a model only
 * credentials of other dialects serve.
 */
public class DialectRoutes extends RouteBuilder {

    private static final String POST_ONLY = "?httpMethodRestrict=POST";

    @Override
    public void configure() {
        for (Dialect dialect : Dialects.all()) {
            for (Endpoint endpoint : dialect.endpoints()) {
                RouteDefinition route = from("platform-http:" + endpoint.path() + POST_ONLY)
                        .routeId(endpoint.routeId()).routeConfigurationId(GatewayErrorHandling.ERRORS)
                        .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                        .process(endpoint.gateBean());
                switch (endpoint.operation()) {
                    case CHAT -> route.to(UpstreamRoutes.DISPATCH);
                    case COUNT_TOKENS -> route.choice()
                            .when(method(Beans.LOCAL_TOKEN_COUNT, "onlyEstimable"))
                                .bean(Beans.LOCAL_TOKEN_COUNT, "estimate")
                            .otherwise()
                                .to(UpstreamRoutes.UNARY);
                    // Never streamed, never translated: served by a credential of the caller's dialect alone.
                    case EMBED -> route.to(UpstreamRoutes.UNARY);
                }
            }
        }
    }
}
