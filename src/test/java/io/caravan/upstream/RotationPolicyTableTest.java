package io.caravan.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.caravan.pool.Outcome;
import io.caravan.upstream.RotationPolicy.UpstreamBody;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rotation table users read in README.md, parsed, against {@link RotationPolicy} row by row: every README line
 * names statuses (or fault kinds), each is looked up the way the gateway looks up a failure, and the row found must
 * say what the README says. Every row of the policy must be named by some README line, so neither can change alone.
 */
class RotationPolicyTableTest {

    private static final Path README = Path.of("README.md");
    private static final String HEADER =
            "| upstream answer | next credential | spends a retry | the credential | the upstream's body |";
    private static final Pattern STATUS = Pattern.compile("\\b\\d{3}\\b");

    /** The README's words for what the pool does with the credential. */
    private static final Map<String, Outcome.Kind> CREDENTIAL_WORDS = Map.of(
            "refreshed, else quarantined", Outcome.Kind.UNAUTHORIZED,
            "short cooldown", Outcome.Kind.TRANSIENT_FAILURE,
            "cools for Retry-After", Outcome.Kind.RATE_LIMITED,
            "untouched", Outcome.Kind.NEUTRAL);

    /** The README's fault names, as the failures the upstream client raises for them. */
    private static final Map<String, UpstreamFailure> FAULTS = Map.of(
            "network fault", UpstreamFailure.network("c", "connection reset"),
            "time-out", UpstreamFailure.timeout("c", "first byte"),
            "invalid answer", UpstreamFailure.invalidAnswer("c", "it is not JSON"));

    /** One line of the README's table. */
    private record Line(String answer, String nextCredential, String spendsRetry, String credential, String body) {
    }

    @Test
    void everyReadmeLineSaysWhatItsRowsDo() throws IOException {
        Set<RotationPolicy> named = EnumSet.noneOf(RotationPolicy.class);
        for (Line line : readmeTable()) {
            for (RotationPolicy row : rowsNamedBy(line.answer())) {
                String where = "README line '" + line.answer() + "', row " + row;
                assertEquals(yesNo(line.nextCredential(), where), row.rotates(), where + ": next credential");
                assertEquals(yesNo(line.spendsRetry(), where), row.spendsRetry(), where + ": spends a retry");
                Outcome.Kind credential = CREDENTIAL_WORDS.get(line.credential());
                assertNotNull(credential, where + ": unknown words for the credential '" + line.credential() + "'");
                assertEquals(credential, row.credential(), where + ": the credential");
                assertEquals(UpstreamBody.valueOf(line.body().toUpperCase()), row.upstreamBody(),
                        where + ": the upstream's body");
                named.add(row);
            }
        }
        assertEquals(EnumSet.allOf(RotationPolicy.class), named, "rows of the policy the README does not show");
    }

    @Test
    void eachRowIsNamedByOneReadmeLineOnly() throws IOException {
        List<RotationPolicy> named = new ArrayList<>();
        List<Line> lines = readmeTable();
        for (Line line : lines) {
            // A line may name several statuses of one row (other 4xx: 400, 404…), but no row belongs to two lines.
            named.addAll(rowsNamedBy(line.answer()));
        }
        assertEquals(EnumSet.copyOf(named).size(), named.size(), "a row shown on two README lines: " + named);
    }

    @Test
    void aRowThatDoesNotRotateSpendsNoRetry() {
        for (RotationPolicy row : RotationPolicy.values()) {
            assertFalse(!row.rotates() && row.spendsRetry(), row + " spends a retry without moving on");
        }
    }

    @Test
    void everyStatusAndFaultHasARow() {
        for (int status = 100; status <= 999; status++) {
            assertNotNull(RotationPolicy.ofStatus(status));
        }
        for (UpstreamFailure fault : FAULTS.values()) {
            assertNotNull(RotationPolicy.of(fault));
        }
    }

    @Test
    void aRateLimitReturnsTheCredentialForTheWaitTheUpstreamAskedFor() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("retry-after", "7");
        UpstreamFailure limited = UpstreamFailure.status(429, headers, "{\"error\":{}}", "c");
        Outcome outcome = RotationPolicy.of(limited).outcome(limited);
        assertEquals(Outcome.Kind.RATE_LIMITED, outcome.kind());
        assertEquals(Duration.ofSeconds(7), outcome.retryAfter());

        UpstreamFailure broken = UpstreamFailure.status(500, MultiMap.caseInsensitiveMultiMap(), "", "c");
        Outcome fault = RotationPolicy.of(broken).outcome(broken);
        assertEquals(Outcome.Kind.TRANSIENT_FAILURE, fault.kind());
        assertNull(fault.retryAfter());
    }

    /** The rows a README line names: by its statuses, or else by its comma-separated fault names. */
    private static Set<RotationPolicy> rowsNamedBy(String answer) {
        Set<RotationPolicy> rows = EnumSet.noneOf(RotationPolicy.class);
        Matcher statuses = STATUS.matcher(answer);
        while (statuses.find()) {
            rows.add(RotationPolicy.ofStatus(Integer.parseInt(statuses.group())));
        }
        if (!rows.isEmpty()) {
            return rows;
        }
        for (String name : answer.split(",")) {
            UpstreamFailure fault = FAULTS.get(name.strip());
            assertNotNull(fault, "README line '" + answer + "' names no status and no known fault: '" + name + "'");
            rows.add(RotationPolicy.of(fault));
        }
        return rows;
    }

    private static boolean yesNo(String cell, String where) {
        return switch (cell) {
            case "yes" -> true;
            case "no" -> false;
            default -> fail(where + ": expected yes or no, found '" + cell + "'");
        };
    }

    private static List<Line> readmeTable() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int header = readme.indexOf(HEADER);
        assertTrue(header >= 0, "README.md has no rotation table headed " + HEADER);
        List<Line> lines = new ArrayList<>();
        for (int i = header + 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            String[] cells = readme.get(i).split("\\|");
            assertEquals(6, cells.length, "README table line " + (i + 1) + " does not have five cells");
            lines.add(new Line(cells[1].strip(), cells[2].strip(), cells[3].strip(), cells[4].strip(), cells[5].strip()));
        }
        assertFalse(lines.isEmpty(), "the README's rotation table is empty");
        return lines;
    }
}
