package io.caravan.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API ({@code caravan.admin-keys}; off, answering 404, without any): client keys made, changed and revoked
 * at run time, usage read from the database, the database's state, the credentials' state (and taking one out of
 * rotation), the settings in effect and reloading the configuration files; and the metrics scrape. These routes wait
 * for the database, read files or walk every metric series, so they run on worker threads, never on an event loop.
 */
public class AdminRoutes extends RouteBuilder {

    private static final String ADMIN = "/admin/v1";

    @Override
    public void configure() {
        answer("GET", ADMIN + "/clients", "admin-clients-list", Beans.ADMIN_CLIENTS, "list");
        answer("POST", ADMIN + "/clients", "admin-clients-create", Beans.ADMIN_CLIENTS, "create");
        answer("PATCH", ADMIN + "/clients/{name}", "admin-clients-update", Beans.ADMIN_CLIENTS, "update");
        answer("DELETE", ADMIN + "/clients/{name}", "admin-clients-delete", Beans.ADMIN_CLIENTS, "delete");
        answer("GET", ADMIN + "/usage", "admin-usage", Beans.ADMIN_USAGE, "usage");
        answer("GET", ADMIN + "/store", "admin-store", Beans.ADMIN_USAGE, "storeHealth");
        answer("GET", ADMIN + "/credentials", "admin-credentials-list", Beans.ADMIN_CREDENTIALS, "list");
        for (String action : new String[] {"disable", "enable", "reset"}) {
            answer("POST", ADMIN + "/credentials/{name}/" + action, "admin-credentials-" + action,
                    Beans.ADMIN_CREDENTIALS, action);
        }
        answer("GET", ADMIN + "/config", "admin-config", Beans.ADMIN_CONFIG, "config");
        answer("POST", ADMIN + "/reload", "admin-reload", Beans.ADMIN_CONFIG, "reload");
        answer("GET", "/metrics", "metrics", Beans.METRICS, "scrape");
    }

    /** One endpoint: the bean's method answers it, and any error it throws is answered as the API's error. */
    private void answer(String method, String path, String routeId, String bean, String beanMethod) {
        from(Beans.HTTP + ":" + path + "?httpMethodRestrict=" + method).routeId(routeId)
                .routeConfigurationId(GatewayErrorHandling.ERRORS)
                .bean(bean, beanMethod);
    }
}
