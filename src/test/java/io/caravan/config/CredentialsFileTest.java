package io.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.dialects.Dialects;
import io.caravan.pool.CredentialSpec;
import io.caravan.testing.FakeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

    private static final String FILE = "creds.yaml";
    private static final String SECRET = "sk-live-SECRET-0123456789abcdef";
    private static final PropertiesComponent NO_ENV = properties(Map.of());

    /**
     * Camel's properties component with the environment replaced by {@code env} (a test cannot set real variables);
     * Camel still parses the placeholders and reports what it cannot resolve.
     */
    private static PropertiesComponent properties(Map<String, String> env) {
        return FakeEnvironment.properties(env);
    }

    private static List<CredentialSpec> parse(String yaml) {
        return CredentialsFile.parse(FILE, yaml, NO_ENV).credentials();
    }

    private static List<CredentialSpec> parse(String yaml, Map<String, String> env) {
        return CredentialsFile.parse(FILE, yaml, properties(env)).credentials();
    }

    /**
     * Asserts the file is rejected with a message "creds.yaml:LINE: ..." that contains {@code problem} and never
     * the secret (neither the literal key nor the value an environment variable resolves to).
     */
    private static ConfigurationException assertRejected(String yaml, Map<String, String> env, int line, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> CredentialsFile.parse(FILE, yaml, properties(env)));
        String message = e.getMessage();
        assertNotNull(message);
        assertTrue(message.startsWith(FILE + ":" + line + ": "),
                () -> "expected the message to point at " + FILE + ":" + line + " but was: " + message);
        assertTrue(message.contains(problem), () -> "expected '" + problem + "' in: " + message);
        assertFalse(message.contains(SECRET), () -> "the message leaks the api key: " + message);
        assertFalse(message.contains("SECRET"), () -> "the message leaks part of the api key: " + message);
        return e;
    }

    private static ConfigurationException assertRejected(String yaml, int line, String problem) {
        return assertRejected(yaml, Map.of(), line, problem);
    }

    // ---------------------------------------------------------------- valid files

    @Test
    void aCompleteCredentialIsReadWithEveryField() {
        List<CredentialSpec> specs = parse("""
                credentials:
                  - name: openai-main
                    kind: openai
                    base-url: https://api.openai.com/v1/
                    api-key: %s
                    models: [gpt-4o, "gpt-4.1*", {name: fast, upstream: gpt-4o-mini}]
                    max-concurrent: 16
                    enabled: false
                  - name: claude
                    kind: anthropic
                    base-url: http://localhost:8080
                    api-key: other-key
                    models:
                      - claude-sonnet-4
                """.formatted(SECRET));

        assertEquals(2, specs.size());
        CredentialSpec openAi = specs.get(0);
        assertEquals("openai-main", openAi.name());
        assertEquals(Dialects.OPENAI, openAi.kind());
        assertEquals("https://api.openai.com/v1", openAi.baseUrl(), "the trailing slash is dropped");
        assertEquals(SECRET, openAi.apiKey());
        assertEquals(3, openAi.models().size());
        assertEquals("gpt-4o", openAi.models().get(0).pattern());
        assertEquals("gpt-4.1*", openAi.models().get(1).pattern());
        assertTrue(openAi.models().get(1).isWildcard());
        assertEquals("fast", openAi.models().get(2).pattern());
        assertEquals(16, openAi.maxConcurrent());
        assertFalse(openAi.enabled());

        CredentialSpec claude = specs.get(1);
        assertEquals("claude", claude.name());
        assertEquals(Dialects.ANTHROPIC, claude.kind());
        assertEquals("http://localhost:8080", claude.baseUrl());
        assertEquals("other-key", claude.apiKey());
        assertEquals(1, claude.models().size());
        assertEquals("claude-sonnet-4", claude.models().get(0).pattern());
    }

    @Test
    void maxConcurrentDefaultsTo64AndEnabledToTrue() {
        CredentialSpec spec = parse("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [gpt-4o]
                """).get(0);

        assertEquals(64, spec.maxConcurrent());
        assertTrue(spec.enabled());
    }

    @Test
    void aCredentialServesItsKindsApiUnlessItListsMoreOfItsProvider() {
        List<CredentialSpec> specs = parse("""
                credentials:
                  - name: plain
                    kind: openai
                    base-url: https://api.example.com/v1
                    api-key: k
                    models: [m]
                  - name: both
                    kind: openai
                    apis: [responses, chat]
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [m]
                """);

        assertEquals(Set.of(Dialects.OPENAI), specs.get(0).apis());
        assertEquals(Set.of(Dialects.OPENAI, Dialects.RESPONSES), specs.get(1).apis());
    }

    @Test
    void anApiTheKindCannotServeOrAListWithoutItsOwnApiIsRefusedAtItsLine() {
        String template = """
                credentials:
                  - name: a
                    kind: %s
                    base-url: https://api.example.com/v1
                    api-key: k
                    models: [m]
                    apis: %s
                """;
        assertRejected(template.formatted("anthropic", "[messages, responses]"), 7,
                "a credential of kind anthropic cannot serve the API 'responses' (it serves: messages)");
        assertRejected(template.formatted("openai", "[responses]"), 7, "'apis' must include chat");
        assertRejected(template.formatted("openai", "[chat, chat]"), 7, "'chat' appears twice in 'apis'");
        assertRejected(template.formatted("openai", "[]"), 7, "'apis' must be a non-empty list (of: chat, responses)");
    }

    @Test
    void wildcardsAndAliasesDecideWhatIsServedAndWhatIsSentUpstream() {
        CredentialSpec spec = parse("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [gpt-4o, "gpt-4.1*", {name: fast, upstream: gpt-4o-mini}]
                """).get(0);

        assertTrue(spec.serves("gpt-4o"));
        assertTrue(spec.serves("gpt-4.1"));
        assertTrue(spec.serves("gpt-4.1-mini"));
        assertFalse(spec.serves("gpt-4x1"), "the dot in the wildcard is literal");
        assertFalse(spec.serves("gpt-4o-mini"), "an alias's upstream name is not published by itself");
        assertTrue(spec.serves("fast"));
        assertFalse(spec.serves("gpt-5"));

        assertEquals("gpt-4o-mini", spec.upstreamModel("fast"));
        assertEquals("gpt-4.1-nano", spec.upstreamModel("gpt-4.1-nano"));
        assertEquals("gpt-4o", spec.upstreamModel("gpt-4o"));
    }

    @Test
    void aliasesMayBeWrittenAsBlockMappings() {
        CredentialSpec spec = parse("""
                credentials:
                  - name: a
                    kind: anthropic
                    base-url: https://api.anthropic.com
                    api-key: k
                    models:
                      - name: sonnet
                        upstream: claude-sonnet-4-20250514
                """).get(0);

        assertTrue(spec.serves("sonnet"));
        assertEquals("claude-sonnet-4-20250514", spec.upstreamModel("sonnet"));
    }

    @Test
    void kindIsCaseInsensitiveAndBooleansAcceptYesNo() {
        List<CredentialSpec> specs = parse("""
                credentials:
                  - name: a
                    kind: Anthropic
                    base-url: https://api.anthropic.com
                    api-key: k
                    models: [m]
                    enabled: "no"
                  - name: b
                    kind: OPENAI
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [m]
                    enabled: "yes"
                """);

        assertEquals(Dialects.ANTHROPIC, specs.get(0).kind());
        assertFalse(specs.get(0).enabled());
        assertEquals(Dialects.OPENAI, specs.get(1).kind());
        assertTrue(specs.get(1).enabled());
    }

    @Test
    void environmentReferencesAreResolved() {
        List<CredentialSpec> specs = parse("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://${env:UPSTREAM_HOST}/v1
                    api-key: ${env:OPENAI_API_KEY}
                    models: [gpt-4o]
                    max-concurrent: ${env:OPENAI_CONCURRENCY}
                """, Map.of("UPSTREAM_HOST", "proxy.example.com", "OPENAI_API_KEY", SECRET,
                "OPENAI_CONCURRENCY", "7"));

        CredentialSpec spec = specs.get(0);
        assertEquals("https://proxy.example.com/v1", spec.baseUrl());
        assertEquals(SECRET, spec.apiKey());
        assertEquals(7, spec.maxConcurrent());
    }

    @Test
    void anEnvironmentReferenceFallsBackToItsDefaultWhenTheVariableIsUnsetOrEmpty() {
        String yaml = """
                credentials:
                  - name: a
                    kind: openai
                    base-url: ${env:BASE_URL:https://api.openai.com/v1}
                    api-key: ${env:KEY:fallback-key}
                    models: [gpt-4o]
                """;

        CredentialSpec unset = parse(yaml).get(0);
        assertEquals("https://api.openai.com/v1", unset.baseUrl());
        assertEquals("fallback-key", unset.apiKey());

        CredentialSpec empty = parse(yaml, Map.of("KEY", "")).get(0);
        assertEquals("fallback-key", empty.apiKey());

        CredentialSpec set = parse(yaml, Map.of("KEY", "from-env", "BASE_URL", "http://localhost:9000/")).get(0);
        assertEquals("from-env", set.apiKey(), "a set variable wins over the default");
        assertEquals("http://localhost:9000", set.baseUrl());
    }

    @Test
    void camelPlaceholdersResolveLikeTheEnvAlias() {
        String yaml = """
                credentials:
                  - name: a
                    kind: openai
                    base-url: "{{env:BASE_URL:https://api.openai.com/v1}}"
                    api-key: "{{env:OPENAI_API_KEY}}"
                    models: [gpt-4o]
                    max-concurrent: "{{env:CONCURRENCY:5}}"
                """;

        CredentialSpec spec = parse(yaml, Map.of("OPENAI_API_KEY", SECRET)).get(0);
        assertEquals("https://api.openai.com/v1", spec.baseUrl(), "the default after the variable's name");
        assertEquals(SECRET, spec.apiKey());
        assertEquals(5, spec.maxConcurrent());
    }

    @Test
    void camelsOwnFunctionsAndPropertiesResolveCredentialValues() {
        // The real properties component, real environment: PATH is set wherever the tests run.
        PropertiesComponent camel = new DefaultCamelContext().getPropertiesComponent();
        camel.addInitialProperty("upstream.openai.key", SECRET);
        System.setProperty("caravan.test.upstream-host", "proxy.example.com");
        try {
            CredentialSpec spec = CredentialsFile.parse(FILE, """
                    credentials:
                      - name: a
                        kind: openai
                        base-url: "https://{{sys:caravan.test.upstream-host}}/v1"
                        api-key: "{{upstream.openai.key}}"
                        models: ["{{env:PATH}}"]
                    """, camel).credentials().get(0);

            assertEquals("https://proxy.example.com/v1", spec.baseUrl());
            assertEquals(SECRET, spec.apiKey());
            assertTrue(spec.serves(System.getenv("PATH")), "{{env:PATH}} read the real variable");
        } finally {
            System.clearProperty("caravan.test.upstream-host");
        }
    }

    @Test
    void anUnsetVariableInACamelPlaceholderIsReportedAtItsLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: "{{env:OPENAI_API_KEY}}"
                    models: [m]
                """, 5, "environment variable OPENAI_API_KEY is not set");
    }

    @Test
    void aPlaceholderCamelCannotResolveIsNamedWithoutTheTextAroundIt() {
        // The literal part of the key must not appear in the error, only the placeholder.
        ConfigurationException e = assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: "%s{{no.such.property}}"
                    models: [m]
                """.formatted(SECRET), Map.of(), 5, "{{no.such.property}} cannot be resolved");
        assertFalse(e.getMessage().contains("sk-live"), e.getMessage());
    }

    @Test
    void anUnquotedPlaceholderIsRejectedWithAHintToQuoteIt() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: {{env:OPENAI_API_KEY}}
                    models: [m]
                """, 5, "a placeholder must be quoted");
    }

    @Test
    void anEnvironmentValueIsTakenLiterallyEvenWithReplacementCharacters() {
        CredentialSpec spec = parse("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: ${env:KEY}
                    models: [gpt-4o]
                """, Map.of("KEY", "ab$1\\cd")).get(0);

        assertEquals("ab$1\\cd", spec.apiKey());
    }

    @Test
    void anEmptyFileOrAnEmptyListHasNoCredentials() {
        assertEquals(List.of(), parse(""));
        assertEquals(List.of(), parse("credentials:\n"));
        assertEquals(List.of(), parse("credentials: []\n"));
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("credentials.yaml");
        Files.writeString(file, """
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [gpt-4o]
                """, StandardCharsets.UTF_8);
        assertEquals("a", CredentialsFile.load(file, NO_ENV).credentials().get(0).name());

        Files.writeString(file, """
                credentials:
                  - name: a
                    kind: mistral
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [gpt-4o]
                """, StandardCharsets.UTF_8);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CredentialsFile.load(file, NO_ENV));
        assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("mistral"), e.getMessage());
    }

    @Test
    void theDocumentedExampleFileLoads() {
        PropertiesComponent env = properties(Map.of("OPENAI_KEY_MAIN", SECRET, "ANTHROPIC_KEY_MAIN", "other-key"));

        List<CredentialSpec> specs = CredentialsFile.load(Path.of("credentials.example.yaml"), env).credentials();

        assertEquals(SECRET, specs.get(0).apiKey(), "the {{env:}} reference");
        assertEquals("other-key", specs.get(1).apiKey(), "the ${env:} alias");
    }

    @Test
    void loadingAMissingFileIsAnError(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CredentialsFile.load(file, NO_ENV));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void invalidYamlSyntaxNamesTheLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    api-key: %s: oops
                    models: [m]
                """.formatted(SECRET), 4, "invalid YAML");
    }

    @Test
    void anUnclosedFlowListIsInvalidYaml() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse("""
                credentials:
                  - name: a
                    models: [m, n
                """));
        assertTrue(e.getMessage().startsWith(FILE), e.getMessage());
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
    }

    @Test
    void aMisspelledKeyIsRejectedAtItsLine() {
        ConfigurationException e = assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api_key: %s
                    models: [m]
                """.formatted(SECRET), 5, "unknown key 'api_key'");
        assertTrue(e.getMessage().contains("api-key"), "the allowed keys are listed: " + e.getMessage());
    }

    @Test
    void anUnknownTopLevelKeyIsRejected() {
        assertRejected("""
                # my credentials
                credential:
                  - name: a
                """, 2, "unknown key 'credential'");
    }

    @Test
    void credentialsMustBeAList() {
        assertRejected("""
                credentials:
                  name: a
                """, 2, "'credentials' must be a list");
    }

    private static final String WITHOUT_NAME = """
            credentials:
              - kind: openai
                base-url: https://api.openai.com/v1
                api-key: %s
                models: [m]
            """.formatted(SECRET);

    @Test
    void aMissingNameIsReportedAtTheCredential() {
        assertRejected(WITHOUT_NAME, 2, "missing 'name'");
    }

    @Test
    void aMissingKindIsReportedAtTheCredential() {
        assertRejected("""
                credentials:
                  - name: ok
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: k
                    models: [m]
                  - name: a
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                """.formatted(SECRET), 7, "missing 'kind'");
    }

    @Test
    void aMissingBaseUrlIsReportedAtTheCredential() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    api-key: %s
                    models: [m]
                """.formatted(SECRET), 2, "missing 'base-url'");
    }

    @Test
    void aMissingApiKeyIsReportedAtTheCredential() {
        assertRejected("""
                credentials:

                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    models: [m]
                """, 3, "missing 'api-key'");
    }

    @Test
    void anEmptyApiKeyIsReportedAtItsLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: ""
                    models: [m]
                """, 5, "'api-key' is empty");
    }

    @Test
    void missingModelsAreReportedAtTheCredential() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                """.formatted(SECRET), 2, "missing 'models'");
    }

    @Test
    void anEmptyModelListIsReportedAtItsLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: []
                """.formatted(SECRET), 6, "'models' must be a non-empty list");
    }

    @Test
    void anAliasWithoutUpstreamIsReportedAtItsLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models:
                      - gpt-4o
                      - {name: fast}
                """.formatted(SECRET), 8, "needs both 'name'");
    }

    @Test
    void aWildcardAliasIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models:
                      - {name: "gpt-*", upstream: gpt-4o}
                """.formatted(SECRET), 7, "wildcard");
    }

    @Test
    void anUnknownKindIsReportedAtItsLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: mistral
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                """.formatted(SECRET), 3, "unknown kind 'mistral' (expected one of: openai, anthropic, gemini)");
    }

    @Test
    void aBaseUrlWithoutHttpSchemeIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: ftp://api.openai.com/v1
                    api-key: %s
                    models: [m]
                """.formatted(SECRET), 4, "'base-url' must be an http(s) URL");
    }

    @Test
    void aBaseUrlWithoutSchemeIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: api.openai.com/v1
                    api-key: %s
                    models: [m]
                """.formatted(SECRET), 4, "'base-url' must be an http(s) URL");
    }

    @Test
    void aMalformedBaseUrlIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api openai.com/v1
                    api-key: %s
                    models: [m]
                """.formatted(SECRET), 4, "'base-url' is not a valid URL");
    }

    @Test
    void aNonNumericMaxConcurrentIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                    max-concurrent: lots
                """.formatted(SECRET), 7, "'max-concurrent' must be a whole number, got 'lots'");
    }

    @Test
    void aZeroMaxConcurrentIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                    max-concurrent: 0
                """.formatted(SECRET), 7, "'max-concurrent' must be at least 1, got 0");
    }

    @Test
    void aNegativeMaxConcurrentIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                    max-concurrent: -4
                """.formatted(SECRET), 7, "'max-concurrent' must be at least 1, got -4");
    }

    @Test
    void aBadBooleanIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                    max-concurrent: 2
                    enabled: maybe
                """.formatted(SECRET), 8, "'enabled' must be true or false, got 'maybe'");
    }

    @Test
    void aDuplicateNameIsReportedAtTheSecondCredential() {
        assertRejected("""
                credentials:
                  - name: twin
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                  - name: twin
                    kind: anthropic
                    base-url: https://api.anthropic.com
                    api-key: %s
                    models: [m]
                """.formatted(SECRET, SECRET), 7, "duplicate credential name 'twin'");
    }

    @Test
    void anUnsetEnvironmentVariableIsReportedAtItsLine() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: ${env:OPENAI_API_KEY}
                    models: [m]
                """, 5, "environment variable OPENAI_API_KEY is not set");
    }

    @Test
    void aLaterErrorDoesNotLeakAKeyResolvedFromTheEnvironment() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: ${env:OPENAI_API_KEY}
                    models: [m]
                    max-concurrent: ${env:OPENAI_API_KEY}
                """, Map.of("OPENAI_API_KEY", SECRET), 7, "'max-concurrent' must be a whole number");
    }

    @Test
    void aListWhereAValueBelongsIsRejected() {
        assertRejected("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: [%s]
                    models: [m]
                """.formatted(SECRET), 5, "must be a single value");
    }

    @Test
    void aSecondCredentialsSectionIsRejected() {
        // A repeated top-level 'credentials' key is refused outright, at the line of the second one.
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse("""
                credentials:
                  - name: twin
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: k1
                    models: [m]
                credentials:
                  - name: twin
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: k2
                    models: [m]
                """));
        assertTrue(e.getMessage().startsWith(FILE + ":7:"), e.getMessage());
        assertTrue(e.getMessage().contains("'credentials' appears twice"), e.getMessage());
    }

    @Test
    void aKeyRepeatedInsideOneCredentialIsRejected() {
        // Otherwise the later value silently wins and the operator never learns which one is used.
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse("""
                credentials:
                  - name: a
                    kind: openai
                    base-url: https://api.openai.com/v1
                    api-key: %s
                    models: [m]
                    api-key: other
                """.formatted(SECRET)));
        assertTrue(e.getMessage().startsWith(FILE + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("api-key"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }
}
