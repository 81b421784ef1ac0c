package io.caravan;

import io.caravan.config.CaravanDefaults;
import io.caravan.routes.AdminRoutes;
import io.caravan.routes.DashboardRoutes;
import io.caravan.routes.DialectRoutes;
import io.caravan.routes.GatewayErrorHandling;
import io.caravan.routes.ServiceRoutes;
import io.caravan.routes.UpstreamRoutes;
import io.caravan.wiring.GatewayConfiguration;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * Caravan embedded in another camel-main application, through camel-main's own configuration mechanism: the
 * application adds the Caravan jar and one line to its settings,
 * {@code camel.main.configuration-classes = io.caravan.CaravanConfiguration}. It may also bind an instance in its
 * registry, where camel-main finds every {@link CamelConfiguration}.
 *
 * <p>The gateway then takes its settings from the application's, under {@code caravan.*}, each missing one from the
 * jar's defaults (which hold {@code caravan.*} keys only: the application's {@code camel.*} settings and its logging
 * stay as they are); serves callers on a server of its own ({@code caravan.server.host}, {@code caravan.server.port}),
 * so the application's {@code camel.server.*} and {@code platform-http} routes stay the application's; and adds its
 * routes, with stream caching off on them alone. Its beans are in the application's registry under the names in
 * {@link io.caravan.routes.Beans}. Nothing here exits the process, sets the application's name or reads its
 * {@code routes/} directory.
 */
public class CaravanConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        CaravanDefaults.addTo(context.getPropertiesComponent());
        new GatewayConfiguration(GatewayConfiguration.Serving.OWN_SERVER).configure(context);
        for (RouteBuilder builder : routes()) {
            // The application's stream caching stays as it set it; the gateway's routes relay upstream answers as
            // they arrive, which a spooled body would hold back.
            builder.configureRoutes(context).getRoutes().forEach(route -> route.setStreamCache("false"));
            context.addRoutes(builder);
        }
    }

    /** The gateway's routes: the standalone jar adds the same. */
    static List<RouteBuilder> routes() {
        return List.of(new GatewayErrorHandling(), new DialectRoutes(), new UpstreamRoutes(), new ServiceRoutes(),
                new AdminRoutes(), new DashboardRoutes());
    }
}
