package io.caravan.routes;

import io.caravan.config.Beans;
import io.caravan.server.EventLoopSafety;
import org.apache.camel.builder.RouteBuilder;

/** The OpenAI Chat Completions endpoint. */
public class OpenAiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/v1/chat/completions?httpMethodRestrict=POST").routeId("openai-chat-completions").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .process(Beans.OPENAI_CHAT_GATE)
                .to(UpstreamRoutes.DISPATCH);
    }
}
