package io.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.pool.CredentialSpec;
import io.caravan.pool.SelectionPolicy;
import io.caravan.pool.SelectionStrategy;
import io.caravan.testing.FakeEnvironment;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

/** The credentials file's {@code routing} section and the credentials' {@code weight} and {@code tier}. */
class RoutingSectionTest {

    private static final String FILE = "creds.yaml";
    private static final PropertiesComponent ENV = FakeEnvironment.properties(Map.of("STRATEGY", "least-busy"));
    private static final String CREDENTIAL = """
            credentials:
              - name: a
                kind: openai
                base-url: https://api.example/v1
                api-key: sk-test-0123456789
                models: [m]
            """;

    private static CredentialsConfig parse(String yaml) {
        return CredentialsFile.parse(FILE, yaml, ENV);
    }

    private static void assertRejected(String yaml, int line, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(yaml));
        assertTrue(e.getMessage().startsWith(FILE + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void withoutARoutingSectionEveryModelIsRoundRobin() {
        assertEquals(SelectionPolicy.DEFAULT, parse(CREDENTIAL).selection());
        assertEquals(SelectionPolicy.DEFAULT, parse(CREDENTIAL + "routing:\n").selection());
    }

    @Test
    void groupsChooseTheStrategyOfTheModelsTheyMatchInOrderAndTheDefaultTheRest() {
        SelectionPolicy policy = parse(CREDENTIAL + """
                routing:
                  strategy: weighted
                  groups:
                    - models: ["gpt-*", "o*"]
                      strategy: fill-first
                    - models: [claude-*, gpt-5]
                      strategy: priority
                    - models: [local]
                      strategy: "{{env:STRATEGY}}"
                """).selection();
        assertEquals(SelectionStrategy.WEIGHTED, policy.defaultStrategy());
        assertEquals(SelectionStrategy.FILL_FIRST, policy.strategyFor("gpt-4o"));
        assertEquals(SelectionStrategy.FILL_FIRST, policy.strategyFor("o3"));
        assertEquals(SelectionStrategy.FILL_FIRST, policy.strategyFor("gpt-5"), "the first matching group decides");
        assertEquals(SelectionStrategy.PRIORITY, policy.strategyFor("claude-sonnet-4-5"));
        assertEquals(SelectionStrategy.LEAST_BUSY, policy.strategyFor("local"));
        assertEquals(SelectionStrategy.WEIGHTED, policy.strategyFor("gemini-2.5-pro"));
    }

    @Test
    void theDefaultStrategyIsRoundRobinWhenOnlyGroupsAreGiven() {
        SelectionPolicy policy = parse(CREDENTIAL + """
                routing:
                  groups:
                    - models: [m]
                      strategy: least-busy
                """).selection();
        assertEquals(SelectionStrategy.ROUND_ROBIN, policy.strategyFor("other"));
        assertEquals(SelectionStrategy.LEAST_BUSY, policy.strategyFor("m"));
    }

    @Test
    void mistakesNameTheirLine() {
        assertRejected(CREDENTIAL + "routing:\n  strategy: fastest\n", 8,
                "unknown strategy 'fastest' (one of: round-robin, weighted, fill-first, least-busy, priority)");
        assertRejected(CREDENTIAL + "routing:\n  strategy: weighted\n  sticky: true\n", 9, "unknown key 'sticky'");
        assertRejected(CREDENTIAL + "routing: fill-first\n", 7, "'routing' must be a mapping");
        assertRejected(CREDENTIAL + "routing:\n  groups: {models: [m]}\n", 8, "'routing.groups' must be a list");
        assertRejected(CREDENTIAL + "routing:\n  groups:\n    - models: [m]\n", 9, "missing 'strategy'");
        assertRejected(CREDENTIAL + "routing:\n  groups:\n    - strategy: weighted\n", 9, "missing 'models'");
        assertRejected(CREDENTIAL + "routing:\n  groups:\n    - models: []\n      strategy: weighted\n", 9,
                "'models' must be a non-empty list");
        assertRejected(CREDENTIAL + "routing:\n  groups:\n    - models: [m]\n      strategy: best\n", 10,
                "unknown strategy 'best'");
        assertRejected(CREDENTIAL + "routing:\n  strategy: weighted\nrouting:\n  strategy: weighted\n", 9,
                "'routing' appears twice");
    }

    @Test
    void theDocumentedExampleFilesRoutingIsRead() {
        CredentialsConfig example = CredentialsFile.load(java.nio.file.Path.of("credentials.example.yaml"),
                FakeEnvironment.properties(Map.of("OPENAI_KEY_MAIN", "sk-one", "ANTHROPIC_KEY_MAIN", "sk-two")));
        assertEquals(SelectionStrategy.FILL_FIRST, example.selection().strategyFor("gpt-4o"));
        assertEquals(SelectionStrategy.PRIORITY, example.selection().strategyFor("claude-sonnet-4-5"));
        assertEquals(SelectionStrategy.ROUND_ROBIN, example.selection().strategyFor("gemini-2.5-pro"));
        assertEquals(3, example.credentials().get(0).weight());
    }

    @Test
    void weightAndTierDefaultToOneAndAreRead() {
        CredentialSpec plain = parse(CREDENTIAL).credentials().get(0);
        assertEquals(1, plain.weight());
        assertEquals(1, plain.tier());
        CredentialSpec set = parse(CREDENTIAL + "    weight: 1000\n    tier: 3\n").credentials().get(0);
        assertEquals(1000, set.weight());
        assertEquals(3, set.tier());
    }

    @Test
    void weightAndTierOutOfRangeAreRefusedOnTheirLine() {
        assertRejected(CREDENTIAL + "    weight: 1001\n", 7, "'weight' must be at most 1000, got 1001");
        assertRejected(CREDENTIAL + "    weight: 0\n", 7, "'weight' must be at least 1");
        assertRejected(CREDENTIAL + "    tier: 0\n", 7, "'tier' must be at least 1");
        assertRejected(CREDENTIAL + "    tier: first\n", 7, "'tier' must be a whole number");
    }
}
