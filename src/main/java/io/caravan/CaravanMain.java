package io.caravan;

import io.caravan.config.ConfigurationException;
import io.caravan.config.SettingsBinder;
import io.caravan.wiring.GatewayConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * The standalone gateway: the Caravan library (its configuration and routes, as {@link CaravanConfiguration} adds
 * them to another application) in a camel-main of its own, which is the application: it names it, serves on Camel's
 * HTTP server ({@code camel.server.*}, {@value #STANDALONE_RESOURCE}) and reads YAML routes from {@code routes/}.
 * Settings, highest precedence first: {@code -Dname=value}, the settings file
 * ({@code -Dcaravan.config=...}, or {@code application.properties} in the working directory if there is one), the
 * defaults inside the jar ({@value SettingsBinder#DEFAULTS_RESOURCE}). So the jar runs from any directory.
 */
public final class CaravanMain {

    /** System property naming the settings file. */
    public static final String CONFIG_PROPERTY = SettingsBinder.CONFIG_FILE_PROPERTY;
    /** The settings file looked for in the working directory when {@value #CONFIG_PROPERTY} is not given. */
    public static final String DEFAULT_CONFIG_FILE = "application.properties";
    /** Camel's settings for the standalone jar: its name, its HTTP server, stream caching, the shutdown time-out. */
    public static final String STANDALONE_RESOURCE = "caravan-standalone.properties";
    /** The standalone jar's logback configuration, a classpath resource. */
    public static final String LOGGING_RESOURCE = "caravan-logback.xml";
    /** The system property logback reads its configuration's location from. */
    private static final String LOGBACK_CONFIGURATION_PROPERTY = "logback.configurationFile";
    /** The YAML routes directory, relative to the working directory; optional. */
    public static final String ROUTES_DIRECTORY = "routes";

    private CaravanMain() {
    }

    public static void main(String[] args) throws Exception {
        useStandaloneLogging();
        String named = System.getProperty(CONFIG_PROPERTY);
        Path config = Path.of(named != null ? named : DEFAULT_CONFIG_FILE);
        Optional<Path> file = named != null || Files.isRegularFile(config) ? Optional.of(config) : Optional.empty();
        try {
            create(file, new Properties()).run(args);
        } catch (Exception e) {
            ConfigurationException problem = configurationProblem(e);
            if (problem == null) {
                throw e;
            }
            // The operator's mistake, said once in the operator's words: a stack trace would only bury it.
            LoggerFactory.getLogger("caravan").error("Caravan cannot start: {}", problem.getMessage());
            System.exit(1);
        }
    }

    /**
     * The standalone jar's logging, named here rather than shipped as {@code logback.xml}, which would configure the
     * logging of every application that embeds the library. A configuration of logback's own still wins:
     * {@code -Dlogback.configurationFile=...}, or a {@code logback.xml} (or {@code logback-test.xml}) on the class
     * path.
     */
    private static void useStandaloneLogging() {
        ClassLoader loader = CaravanMain.class.getClassLoader();
        if (System.getProperty(LOGBACK_CONFIGURATION_PROPERTY) == null && loader.getResource("logback-test.xml") == null
                && loader.getResource("logback.xml") == null) {
            System.setProperty(LOGBACK_CONFIGURATION_PROPERTY, LOGGING_RESOURCE);
        }
    }

    private static ConfigurationException configurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException problem) {
                return problem;
            }
        }
        return null;
    }

    /**
     * A standalone gateway ready to {@code start()} or {@code run()}, for tests as well as {@link #main} (to embed
     * the gateway in an application of your own, list {@link CaravanConfiguration} in its settings instead): the
     * jar's defaults, overridden by {@code config}, overridden by {@code overrides} and system properties.
     */
    public static Main create(Path config, Properties overrides) {
        return create(Optional.of(config), overrides);
    }

    /** As {@link #create(Path, Properties)}; with no settings file the jar's defaults apply. */
    public static Main create(Optional<Path> config, Properties overrides) {
        // The standalone jar is the application: Camel's settings for it, then Caravan's own.
        String defaults = "classpath:" + STANDALONE_RESOURCE + ",classpath:" + SettingsBinder.DEFAULTS_RESOURCE;
        String locations = defaults;
        if (config.isPresent()) {
            Path file = config.get();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("Settings file " + file.toAbsolutePath() + " not found");
            }
            // Camel takes a property from the first location that has it: the settings file before the defaults.
            locations = "file:" + file.toAbsolutePath() + "," + defaults;
        }
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(locations);
        main.setOverrideProperties(overrides);
        // Set here, not in the defaults file, because Camel fails on a pattern whose directory is missing; a
        // camel.main.routes-include-pattern in the settings still wins (camel-main applies it after this).
        if (Files.isDirectory(Path.of(ROUTES_DIRECTORY))) {
            main.configure().setRoutesIncludePattern("file:" + ROUTES_DIRECTORY + "/*.camel.yaml");
        }
        main.configure().addConfiguration(new GatewayConfiguration(GatewayConfiguration.Serving.CONTEXT_SERVER));
        CaravanConfiguration.routes().forEach(main.configure()::addRoutesBuilder);
        return main;
    }
}
