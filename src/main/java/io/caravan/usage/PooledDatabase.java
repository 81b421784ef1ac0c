package io.caravan.usage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connection pool of the usage store. It opens no connection when built, so that a database that is away at
 * the gateway's start does not stop the start; SQLite connections are set to WAL journaling with
 * {@code synchronous=NORMAL}, which keeps the file consistent through a kill -9 (a transaction is either in the WAL
 * whole or not at all) at the cost of the last transactions on a power loss.
 */
final class PooledDatabase implements AutoCloseable {

    /** How long a SQLite writer waits for another one's lock before the attempt fails (and is retried later). */
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 3000;
    /** How long a caller waits for a connection from an unreachable database before the attempt fails. */
    static final long CONNECTION_TIMEOUT_MILLIS = 3000;
    private static final int POOL_SIZE = 4;
    private static final String POOL_NAME = "caravan-usage-store";

    private final HikariDataSource pool;
    private final boolean sqlite;

    private PooledDatabase(HikariDataSource pool, boolean sqlite) {
        this.pool = pool;
        this.sqlite = sqlite;
    }

    static PooledDatabase open(StoreSettings settings) {
        DatabaseUrl.check(settings.url());
        boolean sqlite = DatabaseUrl.isSqlite(settings.url());
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.url());
        config.setDriverClassName(sqlite ? "org.sqlite.JDBC" : "org.postgresql.Driver");
        if (settings.username() != null) {
            config.setUsername(settings.username());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        // Negative: build the pool without a first connection; the writer thread reaches the database later.
        config.setInitializationFailTimeout(-1);
        if (sqlite) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MILLIS));
        } else {
            config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT_MILLIS / 1000));
            config.addDataSourceProperty("ApplicationName", POOL_NAME);
        }
        try {
            return new PooledDatabase(new HikariDataSource(config), sqlite);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the usage store cannot use " + DatabaseUrl.display(settings.url())
                    + ": " + new ErrorMasking(settings).describe(e), e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    boolean isSqlite() {
        return sqlite;
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }
}
