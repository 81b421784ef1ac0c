package io.caravan.routes;

import io.caravan.ingress.ModelActionPath;
import io.caravan.server.EventLoopSafety;
import org.apache.camel.builder.RouteBuilder;

/** Endpoints the gateway answers itself: liveness, the model list, a caller's own account, the responses it keeps. */
public class ServiceRoutes extends RouteBuilder {

    /** OpenAI's model list is {@code /v1/models}; Gemini's is {@code /v1beta/models} (and {@code /v1/models}). */
    private static final String[] MODEL_LIST_VERSIONS = {"/v1", "/v1beta"};

    @Override
    public void configure() {
        from(Beans.HTTP + ":/healthz?httpMethodRestrict=GET").routeId("health").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.SERVICE_ENDPOINTS, "health");

        for (String version : MODEL_LIST_VERSIONS) {
            from(Beans.HTTP + ":" + version + "/models?httpMethodRestrict=GET").routeId("models" + version.replace('/', '-'))
                    .routeConfigurationId(GatewayErrorHandling.ERRORS)
                    .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                    .bean(Beans.SERVICE_ENDPOINTS, "models");

            from(Beans.HTTP + ":" + version + "/models/{" + ModelActionPath.SEGMENT + "}?httpMethodRestrict=GET")
                    .routeId("model" + version.replace('/', '-')).routeConfigurationId(GatewayErrorHandling.ERRORS)
                    .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                    .bean(Beans.SERVICE_ENDPOINTS, "model");
        }

        from(Beans.HTTP + ":/caravan/v1/me?httpMethodRestrict=GET").routeId("caller-account")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.CALLER_ACCOUNT, "me");

        from(Beans.HTTP + ":/v1/responses/{id}?httpMethodRestrict=GET").routeId("stored-response-get")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.STORED_RESPONSES, "get");

        from(Beans.HTTP + ":/v1/responses/{id}?httpMethodRestrict=DELETE").routeId("stored-response-delete")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.STORED_RESPONSES, "delete");
    }
}
