package io.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.clients.BudgetPeriod;
import io.caravan.clients.ClientKeys;
import io.caravan.clients.ClientLimits;
import io.caravan.clients.ClientSpec;
import io.caravan.clients.ModelAllowList;
import io.caravan.testing.FakeEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientsFileTest {

    private static final String FILE = "clients.yaml";
    private static final String SECRET = "cvn-SECRET-team-key-0123456789";
    private static final String SECRET_SHA256 = ClientKeys.sha256Hex(SECRET);

    private static PropertiesComponent properties(Map<String, String> env) {
        return FakeEnvironment.properties(env);
    }

    private static List<ClientSpec> parse(String yaml) {
        return ClientsFile.parse(FILE, yaml, properties(Map.of()));
    }

    private static List<ClientSpec> parse(String yaml, Map<String, String> env) {
        return ClientsFile.parse(FILE, yaml, properties(env));
    }

    /**
     * Asserts the file is rejected with "clients.yaml:LINE: ..." containing {@code problem}, and that the message
     * shows neither the key nor its digest.
     */
    private static ConfigurationException assertRejected(String yaml, Map<String, String> env, int line, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClientsFile.parse(FILE, yaml, properties(env)));
        String message = e.getMessage();
        assertNotNull(message);
        assertTrue(message.startsWith(FILE + ":" + line + ": "),
                () -> "expected the message to point at " + FILE + ":" + line + " but was: " + message);
        assertTrue(message.contains(problem), () -> "expected '" + problem + "' in: " + message);
        assertFalse(message.contains("SECRET"), () -> "the message leaks the key: " + message);
        assertFalse(message.contains(SECRET_SHA256), () -> "the message leaks the key's digest: " + message);
        return e;
    }

    private static ConfigurationException assertRejected(String yaml, int line, String problem) {
        return assertRejected(yaml, Map.of(), line, problem);
    }

    // ---------------------------------------------------------------- valid files

    @Test
    void aFullClientIsReadAndItsKeyKeptOnlyAsADigest() {
        List<ClientSpec> specs = parse("""
                clients:
                  - name: claude-code-team
                    key: "{{env:TEAM_KEY}}"
                    models: ["claude-*", gpt-4o]
                    limits:
                      requests-per-minute: 60
                      tokens-per-minute: 100000
                      max-concurrent: 4
                      budget: {tokens: 5000000, per: month}
                    expires: 2027-01-01T00:00:00Z
                    enabled: false
                """, Map.of("TEAM_KEY", SECRET));

        assertEquals(1, specs.size());
        ClientSpec spec = specs.get(0);
        assertEquals("claude-code-team", spec.name());
        assertEquals(SECRET_SHA256, spec.keySha256());
        assertEquals(List.of("claude-*", "gpt-4o"), spec.models().patterns());
        assertTrue(spec.models().allows("claude-sonnet-4"));
        assertFalse(spec.models().allows("gpt-4o-mini"));
        assertEquals(new ClientLimits(60, 100_000L, 4, 5_000_000L, BudgetPeriod.MONTH), spec.limits());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), spec.expires());
        assertFalse(spec.enabled());
        assertEquals(ClientSpec.Origin.FILE, spec.origin());
        assertFalse(spec.toString().contains(SECRET), spec.toString());
        assertFalse(spec.toString().contains(SECRET_SHA256), spec.toString());
    }

    @Test
    void aClientNeedsOnlyANameAndAKey() {
        ClientSpec spec = parse("""
                clients:
                  - name: minimal
                    key: plain-key
                """).get(0);

        assertEquals(ClientKeys.sha256Hex("plain-key"), spec.keySha256());
        assertEquals(ModelAllowList.ALL, spec.models());
        assertEquals(ClientLimits.NONE, spec.limits());
        assertNull(spec.expires());
        assertTrue(spec.enabled());
    }

    @Test
    void aPlainKeyIsTrimmedBeforeHashingAsPresentedKeysAre() {
        ClientSpec spec = parse("""
                clients:
                  - name: a
                    key: "  spaced-key  "
                """).get(0);
        assertEquals(ClientKeys.sha256Hex("spaced-key"), spec.keySha256());
    }

    @Test
    void keySha256IsTakenAsTheDigestInEitherCase() {
        List<ClientSpec> specs = parse("""
                clients:
                  - name: lower
                    key-sha256: %s
                  - name: upper
                    key-sha256: %s
                """.formatted(ClientKeys.sha256Hex("one"), ClientKeys.sha256Hex("two").toUpperCase()));

        assertEquals(ClientKeys.sha256Hex("one"), specs.get(0).keySha256());
        assertEquals(ClientKeys.sha256Hex("two"), specs.get(1).keySha256(), "kept lower-case");
    }

    @Test
    void theOlderEnvAliasAndDefaultsResolve() {
        List<ClientSpec> specs = parse("""
                clients:
                  - name: alias
                    key: ${env:TEAM_KEY}
                  - name: defaulted
                    key: "{{env:UNSET_KEY:fallback-key}}"
                    limits: {requests-per-minute: "{{env:RPM:30}}"}
                """, Map.of("TEAM_KEY", SECRET));

        assertEquals(SECRET_SHA256, specs.get(0).keySha256());
        assertEquals(ClientKeys.sha256Hex("fallback-key"), specs.get(1).keySha256());
        assertEquals(30, specs.get(1).limits().requestsPerMinute());
    }

    @Test
    void anExpiryDateIsItsStartInUtcAndATimeMayCarryAnOffset() {
        List<ClientSpec> specs = parse("""
                clients:
                  - name: by-date
                    key: k1
                    expires: 2027-01-01
                  - name: by-offset
                    key: k2
                    expires: 2027-01-01T02:00:00+02:00
                  - name: daily-budget
                    key: k3
                    limits:
                      budget: {tokens: 1000, per: day}
                """);

        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), specs.get(0).expires());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), specs.get(1).expires());
        assertEquals(new ClientLimits(null, null, null, 1000L, BudgetPeriod.DAY), specs.get(2).limits());
    }

    @Test
    void anEmptyFileOrSectionHasNoClients() {
        assertEquals(List.of(), parse(""));
        assertEquals(List.of(), parse("clients:\n"));
    }

    @Test
    void aMissingFileMeansNoClients(@TempDir Path dir) {
        assertEquals(List.of(), ClientsFile.load(dir.resolve("nope.yaml"), properties(Map.of())));
    }

    @Test
    void aFileIsNamedInItsErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clients.yaml");
        Files.writeString(file, """
                clients:
                  - name: a
                    key: k
                    colour: blue
                """, StandardCharsets.UTF_8);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ClientsFile.load(file, properties(Map.of())));
        assertTrue(e.getMessage().startsWith(file + ":4: unknown key 'colour'"), e.getMessage());
    }

    @Test
    void theDocumentedExampleFileLoads() {
        List<ClientSpec> specs = ClientsFile.load(Path.of("clients.example.yaml"), properties(Map.of("TEAM_KEY", SECRET)));

        assertEquals(2, specs.size());
        assertEquals(SECRET_SHA256, specs.get(0).keySha256());
        assertEquals(new ClientLimits(60, 100_000L, 4, 5_000_000L, BudgetPeriod.MONTH), specs.get(0).limits());
        assertEquals(ClientKeys.sha256Hex("cvn-example-ci-key"), specs.get(1).keySha256(), "the comment tells the truth");
        assertEquals(BudgetPeriod.DAY, specs.get(1).limits().budgetPeriod());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void duplicateNamesAreRefusedAtTheSecond() {
        ConfigurationException e = assertRejected("""
                clients:
                  - name: team
                    key: k1
                  - name: team
                    key: k2
                """, 4, "duplicate client name 'team'");
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void twoClientsWithTheSameKeyAreRefusedEvenWhenOneGivesItsDigest() {
        assertRejected("""
                clients:
                  - name: a
                    key: "{{env:TEAM_KEY}}"
                  - name: b
                    key-sha256: %s
                """.formatted(SECRET_SHA256), Map.of("TEAM_KEY", SECRET), 4, "client 'b' has the same key as client 'a' (line 2)");
    }

    @Test
    void aClientHasExactlyOneOfKeyAndKeySha256() {
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    key-sha256: %s
                """.formatted(ClientKeys.sha256Hex("k")), 4, "either 'key' or 'key-sha256', not both");
        assertRejected("""
                clients:
                  - name: a
                    models: [gpt-4o]
                """, 2, "missing 'key'");
    }

    @Test
    void aDigestMustBe64HexDigits() {
        assertRejected("""
                clients:
                  - name: a
                    key-sha256: abc123
                """, 3, "'key-sha256' must be 64 hex digits");
        assertRejected("""
                clients:
                  - name: a
                    key-sha256: %s
                """.formatted("g".repeat(64)), 3, "must be 64 hex digits");
    }

    @Test
    void anEmptyKeyIsRefusedAlsoWhenItsPlaceholderResolvesToNothing() {
        assertRejected("""
                clients:
                  - name: a
                    key: ""
                """, 3, "'key' is empty");
        assertRejected("""
                clients:
                  - name: a
                    key: "{{env:TEAM_KEY:}}"
                """, 3, "'key' is empty (after resolving its placeholders)");
    }

    @Test
    void anUnsetVariableIsNamed() {
        assertRejected("""
                clients:
                  - name: a
                    key: "{{env:TEAM_KEY}}"
                """, 3, "environment variable TEAM_KEY is not set");
    }

    @Test
    void anUnquotedPlaceholderGetsAHint() {
        assertRejected("""
                clients:
                  - name: a
                    key: {{env:TEAM_KEY}}
                """, Map.of("TEAM_KEY", SECRET), 3, "a placeholder must be quoted");
    }

    @Test
    void unknownFieldsAreRefusedWhereTheyAre() {
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    rate: 5
                """, 4, "unknown key 'rate'");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      requests-per-hour: 5
                """, 5, "unknown key 'requests-per-hour'");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      budget: {tokens: 5, per: day, rollover: true}
                """, 5, "unknown key 'rollover'");
        assertRejected("""
                client:
                  - name: a
                """, 1, "unknown key 'client' (expected 'clients')");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    name: b
                """, 4, "'name' appears twice");
    }

    @Test
    void limitsMustBePositiveWholeNumbers() {
        for (String limit : List.of("requests-per-minute", "tokens-per-minute", "max-concurrent")) {
            assertRejected("""
                    clients:
                      - name: a
                        key: k
                        limits:
                          %s: 0
                    """.formatted(limit), 5, "'" + limit + "' must be at least 1, got 0");
            assertRejected("""
                    clients:
                      - name: a
                        key: k
                        limits:
                          %s: -3
                    """.formatted(limit), 5, "must be at least 1");
            assertRejected("""
                    clients:
                      - name: a
                        key: k
                        limits:
                          %s: lots
                    """.formatted(limit), 5, "must be a whole number");
        }
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      budget: {tokens: 0, per: day}
                """, 5, "'tokens' must be at least 1");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      max-concurrent: 3000000000
                """, 5, "'max-concurrent' must be at most");
    }

    @Test
    void aBudgetNeedsTokensAndADayOrMonth() {
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      budget: {per: day}
                """, 5, "the budget needs 'tokens'");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      budget: {tokens: 100}
                """, 5, "missing 'per'");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      budget: {tokens: 100, per: week}
                """, 5, "a budget period is 'day' or 'month', not 'week'");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    limits:
                      budget: 100
                """, 5, "'budget' must be a mapping");
    }

    @Test
    void badDatesAreRefused() {
        for (String date : List.of("2027-13-01", "2027-01-01T00:00:00", "tomorrow", "2027-02-30")) {
            assertRejected("""
                    clients:
                      - name: a
                        key: k
                        expires: %s
                    """.formatted(date), 4, "'expires' must be a date");
        }
    }

    @Test
    void namesAreShortAndPlainAndAnyoneIsTaken() {
        assertRejected("""
                clients:
                  - name: "team one"
                    key: k
                """, 2, "a client name is 1 to 64 of");
        assertRejected("""
                clients:
                  - name: %s
                    key: k
                """.formatted("x".repeat(65)), 2, "a client name is 1 to 64 of");
        assertRejected("""
                clients:
                  - name: anyone
                    key: k
                """, 2, "'anyone' names every caller");
        assertRejected("""
                clients:
                  - key: k
                """, 2, "missing 'name'");
    }

    @Test
    void anAllowListIsANonEmptyListOfNames() {
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    models: []
                """, 4, "'models' must be a non-empty list");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    models: gpt-4o
                """, 4, "'models' must be a non-empty list");
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    models: [gpt-4o, ""]
                """, 4, "is empty");
    }

    @Test
    void enabledIsABoolean() {
        assertRejected("""
                clients:
                  - name: a
                    key: k
                    enabled: maybe
                """, 4, "'enabled' must be true or false");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertRejected("""
                clients:
                  - name: a
                    key: k: oops
                """, 3, "invalid YAML");
    }
}
