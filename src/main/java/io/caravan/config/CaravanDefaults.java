package io.caravan.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.camel.Ordered;
import org.apache.camel.spi.LoadablePropertiesSource;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The jar's defaults ({@value SettingsBinder#DEFAULTS_RESOURCE}) as the last place Camel looks a property up, for
 * the gateway embedded in another application: every {@code caravan.*} setting has its default, and whatever the
 * application's own settings, {@code -D} options or environment say wins. The file holds {@code caravan.*} keys only,
 * so the application's {@code camel.*} settings are never changed by it.
 */
public final class CaravanDefaults implements LoadablePropertiesSource, Ordered {

    /** The source's name in Camel's properties component. */
    public static final String NAME = "caravan-defaults";

    private final Properties defaults;

    private CaravanDefaults(Properties defaults) {
        this.defaults = defaults;
    }

    /** Adds the defaults to the properties component, once (a second gateway configuration adds nothing). */
    public static void addTo(PropertiesComponent properties) {
        if (properties.getPropertiesSource(NAME) == null) {
            properties.addPropertiesSource(new CaravanDefaults(read()));
        }
    }

    private static Properties read() {
        Properties defaults = new Properties();
        try (InputStream in = CaravanDefaults.class.getClassLoader().getResourceAsStream(SettingsBinder.DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SettingsBinder.DEFAULTS_RESOURCE + " is missing from the classpath");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        defaults.stringPropertyNames().stream().filter(key -> !key.startsWith(SettingsBinder.PREFIX)).findFirst()
                .ifPresent(key -> {
                    throw new IllegalStateException(SettingsBinder.DEFAULTS_RESOURCE + " sets " + key
                            + ", which is the application's to set");
                });
        return defaults;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getProperty(String name) {
        return defaults.getProperty(name);
    }

    @Override
    public Properties loadProperties() {
        Properties copy = new Properties();
        copy.putAll(defaults);
        return copy;
    }

    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties matching = new Properties();
        defaults.stringPropertyNames().stream().filter(filter).forEach(key -> matching.put(key, defaults.get(key)));
        return matching;
    }

    @Override
    public void reloadProperties(String location) {
    }

    /** After every other source: the application's settings always win. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST;
    }
}
