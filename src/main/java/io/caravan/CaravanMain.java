package io.caravan;

import io.caravan.config.GatewayConfiguration;
import io.caravan.routes.DialectRoutes;
import io.caravan.routes.GatewayErrorHandling;
import io.caravan.routes.ServiceRoutes;
import io.caravan.routes.UpstreamRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * Starts Caravan with camel-main. Settings come from {@code application.properties} in the working directory (or
 * the file named by {@code -Dcaravan.config=...}); any setting can be overridden with {@code -Dname=value}.
 */
public final class CaravanMain {

    /** System property naming the properties file. */
    public static final String CONFIG_PROPERTY = "caravan.config";

    private CaravanMain() {
    }

    public static void main(String[] args) throws Exception {
        create(Path.of(System.getProperty(CONFIG_PROPERTY, "application.properties")), new Properties()).run(args);
    }

    /** A gateway ready to {@code start()} or {@code run()}, for embedding and tests as well as {@link #main}. */
    public static Main create(Path config, Properties overrides) {
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("Settings file " + config.toAbsolutePath() + " not found (run from the "
                    + "repository's top level, or pass -D" + CONFIG_PROPERTY + "=path/to/application.properties)");
        }
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + config.toAbsolutePath());
        main.setOverrideProperties(overrides);
        main.configure().addConfiguration(GatewayConfiguration.class);
        main.configure().addRoutesBuilder(GatewayErrorHandling.class);
        main.configure().addRoutesBuilder(DialectRoutes.class);
        main.configure().addRoutesBuilder(UpstreamRoutes.class);
        main.configure().addRoutesBuilder(ServiceRoutes.class);
        return main;
    }
}
