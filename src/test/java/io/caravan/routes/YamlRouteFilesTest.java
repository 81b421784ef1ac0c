package io.caravan.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * Every route file the repository ships ({@code routes/*.camel.yaml} and {@code routes/examples/}) is plain Camel YAML
 * DSL: it loads and starts in a bare Camel context, without the gateway's routes or beans, as Camel's own tooling
 * ({@code camel run}) loads it. The YAML DSL refuses an unknown step or option, so a file that loads here uses only
 * what Camel knows. Each one consumes a hook endpoint of the gateway's.
 */
class YamlRouteFilesTest {

    /** The properties the examples read; a user sets them in application.properties. */
    private static Properties exampleProperties() {
        Properties properties = new Properties();
        properties.setProperty("tenant.id", "acme");
        properties.setProperty("requests.log.directory", "target/request-log");
        return properties;
    }

    private static List<Path> routeFiles() throws Exception {
        try (Stream<Path> shipped = Stream.concat(Files.list(Path.of("routes")), Files.list(Path.of("routes/examples")))) {
            return shipped.filter(path -> path.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @Test
    void everyShippedRouteFileLoadsInABareCamelContextAndConsumesAHook() throws Exception {
        List<Path> files = routeFiles();
        assertTrue(files.size() >= 5, "hooks.camel.yaml and the four examples: " + files);
        for (Path file : files) {
            try (CamelContext context = new DefaultCamelContext()) {
                context.getPropertiesComponent().setInitialProperties(exampleProperties());
                PluginHelper.getRoutesLoader(context).loadRoutes(
                        ResourceHelper.resolveMandatoryResource(context, "file:" + file));
                context.start();
                List<Route> routes = context.getRoutes();
                assertFalse(routes.isEmpty(), file + " has routes");
                assertTrue(routes.stream().anyMatch(route -> isHook(route.getEndpoint().getEndpointUri())),
                        file + " consumes a hook endpoint: " + routes);
            }
        }
    }

    private static boolean isHook(String uri) {
        return uri.equals(endpointOf(Hooks.BEFORE_UPSTREAM)) || uri.equals(endpointOf(Hooks.AFTER_RESPONSE));
    }

    /** {@code direct://name} as Camel normalises the hook's URI, without its options. */
    private static String endpointOf(String hookUri) {
        return hookUri.substring(0, hookUri.indexOf('?')).replace("direct:", "direct://");
    }
}
