package com.example.summaries;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code POST /summaries} on the application's own server: the text in the body comes back summarised by a model
 * the embedded gateway serves, from its pool of credentials (with its rotation, limits and usage accounting). The
 * route calls the pool through the {@code caravan:} component, in process: no HTTP hop, no client key to hold (the
 * route is the gateway's client {@code route.summaries}, and its usage is recorded under that name).
 */
public final class SummaryRoutes extends RouteBuilder {

    /** Says which model served the summary; the gateway's {@code CaravanModel} header names it. */
    static final String MODEL_HEADER = "X-Summary-Model";

    @Override
    public void configure() {
        from("platform-http:/summaries?httpMethodRestrict=POST").routeId("summaries")
                .convertBodyTo(String.class)
                .setBody(exchange -> chatRequest(exchange.getMessage().getBody(String.class)))
                // The caller's HTTP headers are this application's business, not the gateway's.
                .removeHeaders("*")
                .to("caravan:chat?model={{summaries.model}}")
                .transform().jsonpath("$.choices[0].message.content")
                .setHeader(MODEL_HEADER, header("CaravanModel"))
                .removeHeaders("*", MODEL_HEADER)
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; charset=utf-8"));
    }

    /** A chat request without a model: the endpoint's {@code model} option names it. */
    static Map<String, Object> chatRequest(String text) {
        return Map.of("messages", List.of(
                Map.of("role", "system", "content", "Summarise the user's text in one sentence."),
                Map.of("role", "user", "content", text)));
    }
}
