package com.example.summaries;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code POST /summaries} on the application's own server: the text in the body comes back summarised by a model
 * the embedded gateway serves, from its pool of credentials (with its rotation, limits and usage accounting). The
 * route calls the gateway's OpenAI-compatible endpoint on its own server, as any client of it would.
 */
public final class SummaryRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        from("platform-http:/summaries?httpMethodRestrict=POST").routeId("summaries")
                .convertBodyTo(String.class)
                .process(exchange -> exchange.getMessage().setBody(chatRequest(
                        exchange.getContext().resolvePropertyPlaceholders("{{summaries.model}}"),
                        exchange.getMessage().getBody(String.class))))
                // The caller's HTTP headers are this application's business, not the gateway's.
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Authorization", simple("Bearer {{summaries.gateway-key}}"))
                .to("http://127.0.0.1:{{caravan.server.port}}/v1/chat/completions")
                .transform().jsonpath("$.choices[0].message.content")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; charset=utf-8"));
    }

    static String chatRequest(String model, String text) throws Exception {
        return JSON.writeValueAsString(Map.of("model", model, "messages", List.of(
                Map.of("role", "system", "content", "Summarise the user's text in one sentence."),
                Map.of("role", "user", "content", text))));
    }
}
