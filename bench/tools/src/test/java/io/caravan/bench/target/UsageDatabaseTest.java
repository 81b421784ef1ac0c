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
    void countsTheRequestRowsPerStatus() throws Exception {
        Path db = dir.resolve("caravan.db");
        sqlite(db, "CREATE TABLE " + UsageDatabase.REQUESTS_TABLE + " (id INTEGER PRIMARY KEY, "
                + UsageDatabase.STATUS_COLUMN + " INTEGER, client TEXT);"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
                + "INSERT INTO " + UsageDatabase.REQUESTS_TABLE + " (" + UsageDatabase.STATUS_COLUMN + ", client) "
                + "SELECT CASE WHEN i <= 1497 THEN 200 ELSE 503 END, 'bench' FROM n;");

        UsageDatabase.Recorded recorded = UsageDatabase.read(db);

        assertEquals(1500, recorded.total());
        assertEquals(Map.of(200, 1497L, 503, 3L), recorded.byStatus());
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
