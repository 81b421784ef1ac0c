package com.example.summaries;

import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * The summaries application: a plain camel-main application with a route of its own. Caravan comes in through its
 * settings (camel.main.configuration-classes in application.properties), not through this class.
 */
public final class SummariesApp {

    private SummariesApp() {
    }

    public static void main(String[] args) throws Exception {
        create(new Properties()).run(args);
    }

    /** The application ready to start, its settings overridden by {@code overrides}. */
    public static Main create(Properties overrides) {
        Main main = new Main();
        main.setOverrideProperties(overrides);
        main.configure().addRoutesBuilder(new SummaryRoutes());
        return main;
    }
}
