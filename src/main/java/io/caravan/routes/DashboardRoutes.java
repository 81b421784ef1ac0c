package io.caravan.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The web dashboard: {@code GET /ui} and the files below it, from the jar. The files are public (they hold no data;
 * the page calls the admin API with the admin key it asks for). The first read of a file may wait for the jar, so
 * the route runs on a worker thread.
 */
public class DashboardRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // matchOnUriPrefix: /ui, /ui/ and everything below; the bean answers 404 for what is not its file.
        from(Beans.HTTP + ":/ui?matchOnUriPrefix=true&httpMethodRestrict=GET").routeId("dashboard")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.DASHBOARD_ASSETS, "serve");
    }
}
