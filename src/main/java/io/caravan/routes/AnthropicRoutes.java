package io.caravan.routes;

import io.caravan.config.Beans;
import io.caravan.server.EventLoopSafety;
import org.apache.camel.builder.RouteBuilder;

/**
 * The Anthropic Messages endpoints. Token counting is a plain request/response, forwarded to an Anthropic credential,
 * or estimated locally for a model only OpenAI-compatible credentials serve.
 */
public class AnthropicRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/v1/messages?httpMethodRestrict=POST").routeId("anthropic-messages").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .process(Beans.ANTHROPIC_MESSAGES_GATE)
                .to(UpstreamRoutes.DISPATCH);

        from("platform-http:/v1/messages/count_tokens?httpMethodRestrict=POST").routeId("anthropic-count-tokens").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .process(Beans.ANTHROPIC_COUNT_TOKENS_GATE)
                .choice()
                    .when(method(Beans.LOCAL_TOKEN_COUNT, "onlyEstimable"))
                        .bean(Beans.LOCAL_TOKEN_COUNT, "estimate")
                    .otherwise()
                        .to(UpstreamRoutes.UNARY);
    }
}
