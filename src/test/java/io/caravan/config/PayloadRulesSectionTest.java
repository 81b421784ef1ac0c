package io.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.routing.FieldPath;
import io.caravan.routing.PayloadRule;
import io.caravan.routing.PayloadRules;
import io.caravan.testing.FakeEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

/** The credentials file's {@code payload-rules:} section: what it reads, and each mistake named by file and line. */
class PayloadRulesSectionTest {

    private static final String FILE = "creds.yaml";
    private static final PropertiesComponent ENV = FakeEnvironment.properties(Map.of("TIER", "flex"));
    private static final String CREDENTIALS = """
            credentials:
              - name: openai-main
                kind: openai
                base-url: https://api.openai.com/v1
                api-key: sk-test-0123456789
                models: [gpt-5]
            """;

    private static PayloadRules parse(String rules) {
        return CredentialsFile.parse(FILE, CREDENTIALS + rules, ENV).payloadRules();
    }

    private static void assertRejected(String rules, int line, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> CredentialsFile.parse(FILE, CREDENTIALS + rules, ENV));
        assertTrue(e.getMessage().startsWith(FILE + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void everyKindIsReadInTheFilesOrderWithItsValuesJsonTyped() {
        PayloadRules rules = parse("""
                payload-rules:
                  - models: ["o3*", gpt-5]
                    credentials: [openai-main]
                    defaults: {reasoning_effort: high, "generationConfig.maxOutputTokens": 512}
                    overrides:
                      service_tier: "{{env:TIER}}"
                      thinking: {type: enabled, budget_tokens: 2048}
                      parallel_tool_calls: false
                      stop: [END, "7"]
                      user: null
                      top_p: 0.5
                    caps: {max_tokens: 8192}
                    remove: [metadata.trace, 'a\\.b']
                  - models: [claude-*]
                    remove: [service_tier]
                """);
        assertEquals(2, rules.rules().size());
        PayloadRule rule = rules.rules().get(0);
        assertTrue(rule.appliesTo("o3-mini", "openai-main"));
        assertTrue(rule.appliesTo("gpt-5", "openai-main"));
        assertEquals(false, rule.appliesTo("gpt-5", "other"));
        assertEquals(Set.of("openai-main"), rule.credentials());
        assertEquals("{reasoning_effort=\"high\", generationConfig.maxOutputTokens=512}", rule.defaults().toString());
        assertEquals("{service_tier=\"flex\", thinking={\"type\":\"enabled\",\"budget_tokens\":2048}, "
                + "parallel_tool_calls=false, stop=[\"END\",\"7\"], user=null, top_p=0.5}", rule.overrides().toString());
        assertEquals("{max_tokens=8192}", rule.caps().toString());
        assertEquals(List.of(FieldPath.parse("metadata.trace"), FieldPath.parse("a\\.b")), rule.remove());
        assertTrue(rules.rules().get(1).credentials().isEmpty());
        assertTrue(rules.rules().get(1).appliesTo("claude-sonnet-4-5", "any"));
    }

    @Test
    void theDocumentedExampleFilesRulesLoad() {
        PayloadRules rules = CredentialsFile.load(java.nio.file.Path.of("credentials.example.yaml"),
                FakeEnvironment.properties(Map.of("OPENAI_KEY_MAIN", "k1", "ANTHROPIC_KEY_MAIN", "k2"))).payloadRules();
        assertEquals(2, rules.rules().size());
        assertEquals(1, rules.applyingTo("gpt-5", "openai-main").size());
        assertEquals(0, rules.applyingTo("gpt-5", "anthropic-main").size());
        assertEquals("{max_tokens=8192}", rules.applyingTo("claude-sonnet-4-5", "anthropic-main").get(0).caps().toString());
    }

    @Test
    void aFileWithoutTheSectionHasNoRules() {
        assertEquals(PayloadRules.NONE, parse(""));
        assertEquals(PayloadRules.NONE, parse("payload-rules:\n"));
    }

    @Test
    void mistakesAreNamedByFileAndLine() {
        assertRejected("payload-rules: {models: [x]}\n", 7, "'payload-rules' must be a list");
        assertRejected("payload-rules:\n  - remove: [x]\n", 8, "needs 'models'");
        assertRejected("payload-rules:\n  - models: [x]\n    credentials: [a]\n", 8, "changes nothing");
        assertRejected("payload-rules:\n  - models: [x]\n    remove: [x]\n    drop: [y]\n", 10, "unknown key 'drop'");
        assertRejected("payload-rules:\n  - models: []\n    remove: [x]\n", 8, "'models' must be a non-empty list");
        assertRejected("payload-rules:\n  - models: x\n    remove: [x]\n", 8, "'models' must be a non-empty list");
        assertRejected("payload-rules:\n  - models: [x, x]\n    remove: [y]\n", 8, "'x' appears twice in 'models'");
        assertRejected("payload-rules:\n  - models: [x]\n    caps:\n      max_tokens: lots\n", 10,
                "the cap of 'max_tokens' must be a number");
        assertRejected("payload-rules:\n  - models: [x]\n    overrides:\n      model: other\n", 10,
                "cannot change 'model'");
        assertRejected("payload-rules:\n  - models: [x]\n    remove:\n      - stream_options.include_usage\n", 10,
                "cannot change 'stream_options'");
        assertRejected("payload-rules:\n  - models: [x]\n    defaults:\n      stream: true\n", 10, "cannot change 'stream'");
        assertRejected("payload-rules:\n  - models: [x]\n    remove:\n      - a..b\n", 10, "empty key");
        assertRejected("payload-rules:\n  - models: [x]\n    remove: [y, y]\n", 9, "'y' appears twice in 'remove'");
        assertRejected("payload-rules:\n  - models: [x]\n    overrides: {}\n", 9, "'overrides' is empty");
        assertRejected("payload-rules:\n  - models: [x]\n    overrides: {a: 1e999}\n", 9, "not a number JSON can carry");
        assertRejected("payload-rules:\n  - models: [x]\n    remove: [x]\nextra: 1\n", 10, "unknown key 'extra'");
    }
}
