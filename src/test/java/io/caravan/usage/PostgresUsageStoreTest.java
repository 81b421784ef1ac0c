package io.caravan.usage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.caravan.testing.LogCapture;
import io.caravan.testing.PostgresServer;
import io.caravan.testing.ShippedSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The usage store on a real PostgreSQL server (started by the test on 127.0.0.1, a database per test), taken away by
 * stopping the server. Skipped without PostgreSQL binaries unless {@code -Dpostgres.required=true}.
 */
class PostgresUsageStoreTest extends UsageStoreContract {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    StoreSettings newDatabase() {
        return ShippedSettings.store(server.jdbcUrl(server.createDatabase()))
                .withCredentials(server.username(), server.password());
    }

    @Override
    Connection connect(StoreSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.url(), settings.username(), settings.password());
    }

    @Override
    void takeAway(StoreSettings settings) {
        server.stop();
    }

    @Override
    void giveBack(StoreSettings settings) {
        server.startServer();
    }

    @Override
    String secret(StoreSettings settings) {
        return settings.password();
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() throws Exception {
        StoreSettings right = newDatabase().withFlushIntervalMillis(FLUSH_MILLIS);
        String wrongPassword = "wrong-" + server.password();
        UsageStore store = open(right.withCredentials(server.username(), wrongPassword));
        assertFalse(store.health().ok());
        String error = store.health().lastError();
        assertTrue(error.contains("password"), error);
        assertFalse(error.contains(wrongPassword), error);
        UsageStoreException refused = assertThrows(UsageStoreException.class, store::storedClients);
        assertFalse(refused.getMessage().contains(wrongPassword), refused.getMessage());
    }

    @Test
    void aPasswordAsAUrlParameterIsNeverShown() {
        String database = server.createDatabase();
        String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database + "?password=" + server.password();
        StoreSettings settings = ShippedSettings.store(url).withCredentials(server.username(), server.password());
        try (LogCapture logs = LogCapture.capture()) {
            UsageStore store = open(settings);
            store.record(record(T, "r1", "alice", "gpt-4o", "c", 200, A));
            store.flush();
            store.close();
            assertFalse(store.health().database().contains(server.password()), store.health().database());
            assertTrue(logs.atLeast(Level.TRACE).stream().noneMatch(line -> line.contains(server.password())));
        }
        assertFalse(settings.toString().contains(server.password()), settings.toString());
    }
}
