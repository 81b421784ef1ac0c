package io.caravan.routes;

import io.caravan.server.EventLoopSafety;
import org.apache.camel.builder.RouteBuilder;

/** Endpoints the gateway answers itself: liveness, the model list, a caller's own account, the responses it keeps. */
public class ServiceRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/healthz?httpMethodRestrict=GET").routeId("health").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.SERVICE_ENDPOINTS, "health");

        from("platform-http:/v1/models?httpMethodRestrict=GET").routeId("models").routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.SERVICE_ENDPOINTS, "models");

        from("platform-http:/caravan/v1/me?httpMethodRestrict=GET").routeId("caller-account")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.CALLER_ACCOUNT, "me");

        from("platform-http:/v1/responses/{id}?httpMethodRestrict=GET").routeId("stored-response-get")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.STORED_RESPONSES, "get");

        from("platform-http:/v1/responses/{id}?httpMethodRestrict=DELETE").routeId("stored-response-delete")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .routeProperty(EventLoopSafety.NEVER_BLOCKS, "true")
                .bean(Beans.STORED_RESPONSES, "delete");
    }
}
