package io.caravan.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

/**
 * Binds every {@code caravan.*} property Camel's properties component knows into a {@link CaravanSettings} tree and
 * validates it, so that a typo or a bad value stops the start with one error naming each property at fault instead
 * of being ignored. Values come resolved the way Camel resolves them: the jar's defaults, overridden by the
 * settings file, overridden by {@code -Dname=value}; {@code {{env:NAME}}} and Camel's other functions work in them.
 */
public final class SettingsBinder {

    /** Prefix of Caravan's own settings. */
    public static final String PREFIX = "caravan.";
    /** The classpath resource holding the default of every setting, Camel's and Caravan's: the only place of them. */
    public static final String DEFAULTS_RESOURCE = "caravan-defaults.properties";
    /** System property naming the settings file; under the prefix, but read before Camel starts, not a setting. */
    public static final String CONFIG_FILE_PROPERTY = "caravan.config";
    /** How Camel names the placeholder it could not resolve in its message. */
    private static final Pattern UNRESOLVED_KEY = Pattern.compile("key \\[([^\\]]+)]");

    private SettingsBinder() {
    }

    /** The bound, validated tree; a {@link ConfigurationException} listing every problem otherwise. */
    public static CaravanSettings bind(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        CaravanSettings settings = new CaravanSettings();
        List<String> problems = new ArrayList<>();
        for (String key : keys(properties)) {
            String problem = bindOne(context, properties, settings, key);
            if (problem != null) {
                problems.add(key + ": " + problem);
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(settings.problems());
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException((problems.size() == 1 ? "Invalid setting " : "Invalid settings:\n  ")
                    + String.join("\n  ", problems));
        }
        return settings;
    }

    /**
     * Keys from the settings files and the override properties, plus the system properties: Camel reads those
     * directly, so a {@code -D} typo would otherwise never be seen.
     */
    private static Set<String> keys(PropertiesComponent properties) {
        Set<String> keys = new TreeSet<>(properties.loadProperties(key -> key.startsWith(PREFIX)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(PREFIX)).forEach(keys::add);
        keys.remove(CONFIG_FILE_PROPERTY);
        return keys;
    }

    /** Binds one property; the problem with it, or null. Unknown keys' values are never echoed: they may be keys. */
    private static String bindOne(CamelContext context, PropertiesComponent properties, CaravanSettings settings,
            String key) {
        String value;
        try {
            // parseUri, not resolveProperty: that one answers "no value" for a value whose placeholder fails
            value = properties.parseUri(PropertiesComponent.PREFIX_TOKEN + key + PropertiesComponent.SUFFIX_TOKEN).trim();
        } catch (IllegalArgumentException e) {
            // Camel's message quotes the whole value, which may hold a key: name only the placeholder
            Matcher placeholder = UNRESOLVED_KEY.matcher(String.valueOf(e.getMessage()));
            return (placeholder.find() ? "{{" + placeholder.group(1) + "}}" : "a placeholder in it")
                    + " cannot be resolved (no such property, or its function failed)";
        }
        try {
            boolean bound = PropertyBindingSupport.build()
                    .withCamelContext(context)
                    .withTarget(settings)
                    .withProperty(key.substring(PREFIX.length()), value)
                    // resolved above already; a value is text, never a #bean reference
                    .withPlaceholder(false)
                    .withReference(false)
                    .withFluentBuilder(false)
                    .bind();
            return bound ? null : "unknown setting (see " + DEFAULTS_RESOURCE + " in the jar for every setting)";
        } catch (PropertyBindingException e) {
            return "'" + value + "' is not " + expected(e);
        }
    }

    /** What the setter the value was meant for takes, in an operator's words. */
    private static String expected(PropertyBindingException failure) {
        String setter = "set" + StringHelper.capitalize(StringHelper.dashToCamelCase(failure.getPropertyName()));
        Class<?> type = Arrays.stream(failure.getTarget().getClass().getMethods())
                .filter(m -> m.getName().equals(setter) && m.getParameterCount() == 1)
                .map(m -> m.getParameterTypes()[0]).findFirst().orElse(Object.class);
        if (type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "a valid value";
    }
}
