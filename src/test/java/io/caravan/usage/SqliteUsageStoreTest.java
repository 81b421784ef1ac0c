package io.caravan.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caravan.testing.ShippedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage store on its default database: a SQLite file, taken away by another connection's exclusive lock. */
class SqliteUsageStoreTest extends UsageStoreContract {

    @TempDir
    Path directory;
    private int databases;
    private final Map<String, Connection> locks = new HashMap<>();

    @Override
    StoreSettings newDatabase() {
        return ShippedSettings.store("jdbc:sqlite:" + directory.resolve("usage-" + ++databases + ".db"));
    }

    @Override
    Connection connect(StoreSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.url());
    }

    /** Another writer holds the lock: the store's writes time out (busy) until it lets go. */
    @Override
    void takeAway(StoreSettings settings) throws SQLException {
        Connection lock = DriverManager.getConnection(settings.url());
        try (Statement statement = lock.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
        }
        locks.put(settings.url(), lock);
    }

    @Override
    void giveBack(StoreSettings settings) throws SQLException {
        try (Connection lock = locks.remove(settings.url()); Statement statement = lock.createStatement()) {
            statement.execute("ROLLBACK");
        }
    }

    @Override
    String secret(StoreSettings settings) {
        return null;
    }

    @AfterEach
    void releaseLocks() throws SQLException {
        for (Connection lock : locks.values()) {
            lock.close();
        }
    }

    @Test
    void theFileIsInWalModeWithNormalSync() throws SQLException {
        StoreSettings settings = newDatabase();
        open(settings);
        try (Connection connection = connect(settings); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA journal_mode")) {
            assertTrue(result.next());
            assertEquals("wal", result.getString(1));
        }
        try (PooledDatabase database = PooledDatabase.open(settings); Connection connection = database.connection();
                Statement statement = connection.createStatement()) {
            assertEquals("1", single(statement, "PRAGMA synchronous"), "NORMAL");
            assertEquals(String.valueOf(PooledDatabase.SQLITE_BUSY_TIMEOUT_MILLIS),
                    single(statement, "PRAGMA busy_timeout"));
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getString(1);
        }
    }

    @Test
    void aMissingDirectoryAtOpenIsRetriedUntilItExists() throws Exception {
        Path missing = directory.resolve("not-yet");
        StoreSettings settings = ShippedSettings.store("jdbc:sqlite:" + missing.resolve("caravan.db"))
                .withFlushIntervalMillis(FLUSH_MILLIS);
        UsageStore store = open(settings);
        assertFalse(store.health().ok());
        store.record(record(T, "r1", "alice", "gpt-4o", "c", 200, A));
        Files.createDirectories(missing);
        waitFor("the record written once the directory exists",
                () -> store.health().ok() && store.health().pending() == 0);
        assertEquals(1, count(settings, "SELECT COUNT(*) FROM usage_requests"));
    }

    @Test
    void aUrlOfAnotherDatabaseIsAConfigurationError() {
        IllegalArgumentException mysql = assertThrows(IllegalArgumentException.class,
                () -> UsageStore.open(ShippedSettings.store("jdbc:mysql://u:hunter2@db/x")));
        assertTrue(mysql.getMessage().contains("jdbc:sqlite:<file>"), mysql.getMessage());
        assertFalse(mysql.getMessage().contains("hunter2"), mysql.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UsageStore.open(ShippedSettings.store("jdbc:sqlite:")));
        assertThrows(IllegalArgumentException.class, () -> UsageStore.open(ShippedSettings.store("caravan.db")));
    }
}
