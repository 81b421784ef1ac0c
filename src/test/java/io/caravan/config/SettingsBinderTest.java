package io.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.CaravanMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The settings tree bound from Camel's properties component: the jar's defaults, overrides, and every mistake. */
class SettingsBinderTest {

    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    /** Binds the jar's defaults overridden by {@code overrides}, as camel-main hands them to the gateway. */
    private CaravanSettings bind(Map<String, String> overrides) {
        context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:" + SettingsBinder.DEFAULTS_RESOURCE);
        Properties properties = new Properties();
        properties.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(properties);
        context.start();
        return SettingsBinder.bind(context);
    }

    private String rejected(Map<String, String> overrides) {
        return assertThrows(ConfigurationException.class, () -> bind(overrides)).getMessage();
    }

    private static Properties defaults() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = SettingsBinder.class.getClassLoader().getResourceAsStream(SettingsBinder.DEFAULTS_RESOURCE)) {
            defaults.load(in);
        }
        return defaults;
    }

    @Test
    void theJarsDefaultsBindEverySettingAndNothingElse() throws IOException {
        // Binding fails on a default that is no setting, and validation on a setting without a default.
        GatewaySettings settings = GatewaySettings.from(bind(Map.of()));

        Properties defaults = defaults();
        assertEquals(Duration.ofMillis(Long.parseLong(defaults.getProperty("caravan.keep-alive-ms"))),
                settings.keepAliveInterval());
        assertEquals(Duration.ofMillis(Long.parseLong(defaults.getProperty("caravan.cooldown.quarantine-ms"))),
                settings.cooldowns().quarantine());
        assertEquals(Integer.parseInt(defaults.getProperty("caravan.queue.max-waiting")), settings.queueMaxWaiting());
    }

    @Test
    void anOverrideWinsOverTheDefaultAndBindsIntoItsGroup() {
        CaravanSettings caravan = bind(Map.of("caravan.timeout.connect-ms", "1234",
                "caravan.translation.thinking-budget.high", "20000", "caravan.demo", "OFF"));

        assertEquals(Duration.ofMillis(1234), GatewaySettings.from(caravan).connectTimeout());
        assertEquals(20000, caravan.getTranslation().translationSettings().highThinkingBudget());
        assertEquals(CaravanSettings.DemoMode.OFF, caravan.demoMode());
    }

    @Test
    void aSystemPropertyWinsOverTheSettingsAndATypoInOneIsCaughtToo() {
        System.setProperty("caravan.request-retry", "7");
        try {
            assertEquals(7, bind(Map.of("caravan.request-retry", "2")).getRequestRetry());
        } finally {
            System.clearProperty("caravan.request-retry");
        }
        System.setProperty("caravan.request-retries", "7");
        try {
            assertEquals("Invalid setting caravan.request-retries: unknown setting (see caravan-defaults.properties "
                    + "in the jar for every setting)", rejected(Map.of()));
        } finally {
            System.clearProperty("caravan.request-retries");
        }
    }

    @Test
    void theConfigFilePropertyIsNoSetting() {
        System.setProperty(SettingsBinder.CONFIG_FILE_PROPERTY, "elsewhere.properties");
        try {
            assertEquals(3, bind(Map.of()).getRequestRetry());
        } finally {
            System.clearProperty(SettingsBinder.CONFIG_FILE_PROPERTY);
        }
    }

    @Test
    void anUnknownKeyIsNamedWithoutItsValue() {
        String message = rejected(Map.of("caravan.timeout.conect-ms", "sk-live-SECRET"));

        assertTrue(message.startsWith("Invalid setting caravan.timeout.conect-ms: unknown setting"), message);
        assertFalse(message.contains("SECRET"), message);
    }

    @Test
    void anUnknownGroupIsAnUnknownKey() {
        assertTrue(rejected(Map.of("caravan.timeouts.connect-ms", "5"))
                .startsWith("Invalid setting caravan.timeouts.connect-ms: unknown setting"));
    }

    @Test
    void aValueOfTheWrongTypeNamesThePropertyAndWhatIsExpected() {
        assertEquals("Invalid setting caravan.timeout.connect-ms: '10s' is not a whole number",
                rejected(Map.of("caravan.timeout.connect-ms", "10s")));
        assertEquals("Invalid setting caravan.translation.enabled: 'maybe' is not true or false",
                rejected(Map.of("caravan.translation.enabled", "maybe")));
    }

    @Test
    void aValueOutOfRangeNamesThePropertyAndTheBound() {
        assertEquals("Invalid setting caravan.queue.max-wait-ms: must not be negative, got -1",
                rejected(Map.of("caravan.queue.max-wait-ms", "-1")));
        assertEquals("Invalid setting caravan.max-in-flight: must be at least 1, got 0",
                rejected(Map.of("caravan.max-in-flight", "0")));
    }

    @Test
    void anEmptyNumberIsRejected() {
        String message = rejected(Map.of("caravan.limits.max-event-bytes", ""));

        assertTrue(message.startsWith("Invalid setting caravan.limits.max-event-bytes: "), message);
    }

    @Test
    void anUnknownDemoModeIsRejected() {
        assertEquals("Invalid setting caravan.demo: must be auto, on or off, got 'sometimes'",
                rejected(Map.of("caravan.demo", "sometimes")));
    }

    @Test
    void thinkingBudgetsAreCheckedAsTheTranslatorNeedsThem() {
        String message = rejected(Map.of("caravan.translation.thinking-budget.medium", "512"));

        assertTrue(message.startsWith("Invalid setting caravan.translation.thinking-budget: "), message);
        assertTrue(message.contains("512"), message);
    }

    @Test
    void everyProblemIsListedInOneError() {
        String message = rejected(Map.of("caravan.timeout.idle-ms", "-5", "caravan.listener.max-connections", "0"));

        assertEquals("Invalid settings:\n"
                + "  caravan.timeout.idle-ms: must be at least 1, got -5\n"
                + "  caravan.listener.max-connections: must be at least 1, got 0", message);
    }

    @Test
    void settingsResolveCamelPlaceholders() {
        assertEquals(System.getenv("PATH"), bind(Map.of("caravan.client-keys", "{{env:PATH}}")).getClientKeys());
        // The default is {{env:CARAVAN_CLIENT_KEYS:}}: empty unless the environment running the tests sets it.
        assertEquals(Objects.requireNonNullElse(System.getenv("CARAVAN_CLIENT_KEYS"), ""), bind(Map.of()).getClientKeys());
    }

    @Test
    void aPlaceholderThatCannotBeResolvedIsNamedWithoutTheRestOfTheValue() {
        String message = rejected(Map.of("caravan.client-keys", "sk-live-SECRET,{{env:CARAVAN_TEST_UNSET_VARIABLE}}"));

        assertEquals("Invalid setting caravan.client-keys: {{env:CARAVAN_TEST_UNSET_VARIABLE}} cannot be resolved "
                + "(no such property, or its function failed)", message);
    }

    @Test
    void tracingIsOffByDefaultAndItsSampleRatioIsAShareOfOne() {
        assertFalse(bind(Map.of()).getTracing().enabled());
        assertTrue(bind(Map.of("caravan.tracing.otlp-endpoint", "http://127.0.0.1:4318")).getTracing().enabled());
        assertEquals(0.25, bind(Map.of("caravan.tracing.sample-ratio", "0.25")).getTracing().getSampleRatio());
        assertEquals("Invalid setting caravan.tracing.sample-ratio: must be between 0 and 1, got 1.5",
                rejected(Map.of("caravan.tracing.sample-ratio", "1.5")));
        assertEquals("Invalid setting caravan.tracing.sample-ratio: 'half' is not a valid value",
                rejected(Map.of("caravan.tracing.sample-ratio", "half")));
        assertEquals("Invalid setting caravan.tracing.max-queued-spans: must be at least 1, got 0",
                rejected(Map.of("caravan.tracing.max-queued-spans", "0")));
    }

    @Test
    void anEmptyCredentialsFileNameIsRejected() {
        assertEquals("Invalid setting caravan.credentials-file: is empty (name a file; a missing one is allowed)",
                rejected(Map.of("caravan.credentials-file", " ")));
    }

    /**
     * The documented settings file in the repository lists every default, commented out, with the jar's value: it
     * cannot drift from the defaults without this test failing.
     */
    @Test
    void theDocumentedSettingsFileListsEveryDefaultCommentedOut() throws IOException {
        Pattern commented = Pattern.compile("^#([a-z][a-z0-9.-]*) = ?(.*)$");
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = commented.matcher(line);
            if (m.matches()) {
                Properties one = new Properties();
                one.load(new StringReader(m.group(1) + " = " + m.group(2)));
                listed.put(m.group(1), one.getProperty(m.group(1)));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        defaults().forEach((key, value) -> expected.put((String) key, (String) value));
        Properties standalone = new Properties();
        try (InputStream in = SettingsBinder.class.getClassLoader().getResourceAsStream(CaravanMain.STANDALONE_RESOURCE)) {
            standalone.load(in);
        }
        standalone.forEach((key, value) -> expected.put((String) key, (String) value));

        assertEquals(expected, listed);
    }
}
