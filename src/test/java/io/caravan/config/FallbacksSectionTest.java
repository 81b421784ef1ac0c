package io.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.routing.ModelFallbacks;
import io.caravan.testing.FakeEnvironment;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

/** The credentials file's {@code fallbacks} section: what it accepts, and each refusal with its file and line. */
class FallbacksSectionTest {

    private static final String FILE = "creds.yaml";
    private static final PropertiesComponent ENV = FakeEnvironment.properties(Map.of("MINI", "gpt-5-mini"));
    private static final String CREDENTIAL = """
            credentials:
              - name: a
                kind: openai
                base-url: http://127.0.0.1:1/v1
                api-key: sk-test
                models: [gpt-5, gpt-5-mini]
            """;

    private static ModelFallbacks parse(String fallbacks) {
        return CredentialsFile.parse(FILE, CREDENTIAL + fallbacks, ENV).fallbacks();
    }

    /** The line in the whole file of a line of the {@code fallbacks} text given (1-based). */
    private static int line(int inFallbacks) {
        return (int) CREDENTIAL.lines().count() + inFallbacks;
    }

    private static void assertRefused(String fallbacks, int lineInFallbacks, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(fallbacks));
        String where = FILE + ":" + line(lineInFallbacks) + ": ";
        assertTrue(e.getMessage().startsWith(where), () -> "expected " + where + " in: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
    }

    @Test
    void chainsAreReadInOrderWithPlaceholdersResolved() {
        ModelFallbacks fallbacks = parse("""
                fallbacks:
                  gpt-5: [gpt-5-mini, claude-sonnet-4-5]
                  gpt-4o:
                    - "{{env:MINI}}"
                """);
        assertEquals(List.of("gpt-5-mini", "claude-sonnet-4-5"), fallbacks.of("gpt-5"));
        assertEquals(List.of("gpt-5-mini"), fallbacks.of("gpt-4o"));
        assertEquals(List.of(), fallbacks.of("gpt-5-mini"), "a model without a list has no fallbacks");
    }

    @Test
    void noSectionOrAnEmptyOneMeansNoFallbacks() {
        assertEquals(ModelFallbacks.NONE.chains(), parse("").chains());
        assertEquals(ModelFallbacks.NONE.chains(), parse("fallbacks:\n").chains());
    }

    @Test
    void aModelFallingBackToItselfIsRefused() {
        assertRefused("""
                fallbacks:
                  gpt-5:
                    - gpt-5-mini
                    - gpt-5
                """, 4, "'gpt-5' cannot fall back to itself");
    }

    @Test
    void aCycleIsRefusedAndNamed() {
        assertRefused("""
                fallbacks:
                  gpt-5: [gpt-5-mini]
                  gpt-5-mini: [claude]
                  claude: [gpt-5]
                """, 4, "the fallbacks form a cycle: gpt-5 -> gpt-5-mini -> claude -> gpt-5");
    }

    @Test
    void twoModelsFallingBackToTheSameOneAreNoCycle() {
        ModelFallbacks fallbacks = parse("""
                fallbacks:
                  gpt-5: [gpt-5-mini, claude]
                  gpt-4o: [gpt-5-mini, claude]
                  gpt-5-mini: [claude]
                """);
        assertEquals(List.of("claude"), fallbacks.of("gpt-5-mini"));
    }

    @Test
    void malformedEntriesAreRefusedAtTheirLine() {
        assertRefused("fallbacks: [gpt-5]\n", 1, "'fallbacks' must be a mapping");
        assertRefused("fallbacks:\n  gpt-5: gpt-5-mini\n", 2, "the fallbacks of 'gpt-5' must be a non-empty list");
        assertRefused("fallbacks:\n  gpt-5: []\n", 2, "must be a non-empty list");
        assertRefused("fallbacks:\n  gpt-5: [gpt-5-mini, gpt-5-mini]\n", 2, "'gpt-5-mini' appears twice");
        assertRefused("fallbacks:\n  gpt-5: [a]\n  gpt-5: [b]\n", 3, "'gpt-5' appears twice in 'fallbacks'");
        assertRefused("fallbacks:\n  \"gpt-*\": [a]\n", 2, "fallbacks name exact models, not patterns");
        assertRefused("fallbacks:\n  gpt-5: [[a]]\n", 2, "must be a single value");
        assertRefused("fallbacks:\n  gpt-5: [\"\"]\n", 2, "is empty");
    }

    @Test
    void anUnknownSectionStillNamesTheOnesAllowed() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse("fallback:\n  a: [b]\n"));
        assertTrue(e.getMessage().contains("fallbacks"), e.getMessage());
    }
}
