package io.caravan.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API ({@code caravan.admin-keys}; off, answering 404, without any): client keys made, changed and revoked
 * at run time, usage read from the database, the database's state, the credentials' state (and taking one out of
 * rotation), the settings in effect and reloading the configuration files. These routes wait for the database or
 * read files, so they run on worker threads, never on an event loop.
 */
public class AdminRoutes extends RouteBuilder {

    private static final String CLIENTS = "platform-http:/admin/v1/clients";
    private static final String CLIENT = "platform-http:/admin/v1/clients/{name}";
    private static final String CREDENTIAL = "platform-http:/admin/v1/credentials/{name}/";

    @Override
    public void configure() {
        from(CLIENTS + "?httpMethodRestrict=GET").routeId("admin-clients-list")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CLIENTS, "list");
        from(CLIENTS + "?httpMethodRestrict=POST").routeId("admin-clients-create")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CLIENTS, "create");
        from(CLIENT + "?httpMethodRestrict=PATCH").routeId("admin-clients-update")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CLIENTS, "update");
        from(CLIENT + "?httpMethodRestrict=DELETE").routeId("admin-clients-delete")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CLIENTS, "delete");
        from("platform-http:/admin/v1/usage?httpMethodRestrict=GET").routeId("admin-usage")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_USAGE, "usage");
        from("platform-http:/admin/v1/store?httpMethodRestrict=GET").routeId("admin-store")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_USAGE, "storeHealth");
        from("platform-http:/admin/v1/credentials?httpMethodRestrict=GET").routeId("admin-credentials-list")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CREDENTIALS, "list");
        for (String action : new String[] {"disable", "enable", "reset"}) {
            from(CREDENTIAL + action + "?httpMethodRestrict=POST").routeId("admin-credentials-" + action)
                    .routeConfigurationId(GatewayErrorHandling.ERRORS)
                    .bean(Beans.ADMIN_CREDENTIALS, action);
        }
        from("platform-http:/admin/v1/config?httpMethodRestrict=GET").routeId("admin-config")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CONFIG, "config");
        from("platform-http:/admin/v1/reload?httpMethodRestrict=POST").routeId("admin-reload")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.ADMIN_CONFIG, "reload");
        // A scrape walks every series: a worker thread's work, as the admin API's is (see MetricsEndpoint).
        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("metrics")
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(Beans.METRICS, "scrape");
    }
}
