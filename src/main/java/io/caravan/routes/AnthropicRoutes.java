package io.caravan.routes;

import io.caravan.config.Beans;
import org.apache.camel.builder.RouteBuilder;

/** The Anthropic Messages endpoints; token counting is always a plain request/response. */
public class AnthropicRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/v1/messages?httpMethodRestrict=POST").routeId("anthropic-messages")
                .process(Beans.ANTHROPIC_MESSAGES_GATE)
                .to(UpstreamRoutes.DISPATCH);

        from("platform-http:/v1/messages/count_tokens?httpMethodRestrict=POST").routeId("anthropic-count-tokens")
                .process(Beans.ANTHROPIC_COUNT_TOKENS_GATE)
                .to(UpstreamRoutes.UNARY);
    }
}
