package io.caravan.service;

import io.caravan.config.SettingsBinder;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Every {@code caravan.*} setting with the value in effect (the jar's default, the settings file's, a {@code -D}
 * override's, placeholders resolved), for {@code GET /admin/v1/config}. A value whose name says it is a key, a
 * secret, a password, a token or headers is shown as {@value #MASK}, and so is the password part of any URL.
 */
public final class EffectiveSettings {

    public static final String MASK = "****";
    /**
     * A word of a setting's name that makes its value secret ({@code admin-keys}, {@code store.password}); headers
     * too ({@code tracing.otlp-headers}), since those sent to a service carry its auth.
     */
    private static final Set<String> SECRET_WORDS = Set.of("key", "keys", "secret", "secrets", "password",
            "passwords", "token", "credential", "headers");
    private static final Pattern WORD_SEPARATOR = Pattern.compile("[.\\-_]");
    /** {@code scheme://user:password@host}: the password between the colon and the at sign. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(//[^/:@?#\\s]*:)[^/@?#\\s]*@");
    /** {@code password=...} in a URL's query or a JDBC URL's properties. */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("((?:password|passwd|pwd|secret|token|key)=)[^&;\\s]*", Pattern.CASE_INSENSITIVE);

    private final PropertiesComponent properties;

    public EffectiveSettings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** Name to value, sorted by name, secrets masked. */
    public Map<String, String> masked() {
        Set<String> names = new TreeSet<>(
                properties.loadProperties(key -> key.startsWith(SettingsBinder.PREFIX)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith(SettingsBinder.PREFIX)).forEach(names::add);
        names.remove(SettingsBinder.CONFIG_FILE_PROPERTY);
        Map<String, String> settings = new TreeMap<>();
        for (String name : names) {
            settings.put(name, mask(name, value(name)));
        }
        return settings;
    }

    /** The value as shown: {@value #MASK} for a secret setting, else with any URL password masked. */
    static String mask(String name, String value) {
        if (value == null) {
            return null;
        }
        if (secretName(name)) {
            return value.isEmpty() ? "" : MASK;
        }
        String masked = URL_PASSWORD.matcher(value).replaceAll("$1" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }

    static boolean secretName(String name) {
        for (String word : WORD_SEPARATOR.split(name.toLowerCase(Locale.ROOT))) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private String value(String name) {
        try {
            return properties.parseUri(PropertiesComponent.PREFIX_TOKEN + name + PropertiesComponent.SUFFIX_TOKEN)
                    .trim();
        } catch (IllegalArgumentException unresolvable) {
            // Checked at start already; a value that stopped resolving is not shown (it may be a secret's).
            return null;
        }
    }
}
