package io.caravan.bench.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real SQLite files made with the same sqlite3 shell the bench reads them with. */
class UsageDatabaseTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void sqliteShellInstalled() throws InterruptedException {
        assumeTrue(runs("sqlite3", "-version"), "sqlite3 is not installed (bench/run.sh installs it)");
    }

    @Test
    void countsTheRequestRowsPerStatusTheAggregatesAndTheAnswersWithoutTokens() throws Exception {
        Path db = dir.resolve("caravan.db");
        sqlite(db, "CREATE TABLE " + UsageDatabase.REQUESTS_TABLE + " (client TEXT, status INTEGER, "
                + "input_tokens BIGINT, output_tokens BIGINT);"
                + "CREATE TABLE " + UsageDatabase.DAYS_TABLE + " (bucket_start BIGINT, client TEXT, requests BIGINT);"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
                + "INSERT INTO " + UsageDatabase.REQUESTS_TABLE + " SELECT 'bench', "
                + "CASE WHEN i <= 1497 THEN 200 ELSE 503 END, CASE WHEN i <= 1495 THEN 12 ELSE 0 END, "
                + "CASE WHEN i <= 1495 THEN 64 ELSE 0 END FROM n;"
                + "INSERT INTO " + UsageDatabase.DAYS_TABLE + " VALUES (0, 'bench', 1000), (86400000, 'bench', 499);");

        UsageDatabase.Recorded recorded = UsageDatabase.read(db);

        assertEquals(1500, recorded.total());
        assertEquals(Map.of(200, 1497L, 503, 3L), recorded.byStatus());
        assertEquals(1499, recorded.aggregated());
        assertEquals(2, recorded.answeredWithoutTokens());
    }

    @Test
    void anEmptyStoreIsZeroEverywhere() throws Exception {
        Path db = dir.resolve("empty.db");
        sqlite(db, "CREATE TABLE " + UsageDatabase.REQUESTS_TABLE + " (client TEXT, status INTEGER, "
                + "input_tokens BIGINT, output_tokens BIGINT);"
                + "CREATE TABLE " + UsageDatabase.DAYS_TABLE + " (bucket_start BIGINT, client TEXT, requests BIGINT);");

        UsageDatabase.Recorded recorded = UsageDatabase.read(db);

        assertEquals(0, recorded.total());
        assertEquals(Map.of(), recorded.byStatus());
        assertEquals(0, recorded.aggregated());
    }

    @Test
    void aDatabaseWithoutTheTableIsAnErrorNotZero() throws Exception {
        Path db = dir.resolve("other.db");
        sqlite(db, "CREATE TABLE something_else (x INTEGER);");

        IOException e = assertThrows(IOException.class, () -> UsageDatabase.read(db));
        assertEquals(true, e.getMessage().contains(UsageDatabase.REQUESTS_TABLE), e.getMessage());
    }

    @Test
    void aMissingFileIsAnError() {
        assertThrows(IOException.class, () -> UsageDatabase.read(dir.resolve("never-written.db")));
    }

    private static void sqlite(Path db, String sql) throws Exception {
        Process p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true).start();
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    private static boolean runs(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
