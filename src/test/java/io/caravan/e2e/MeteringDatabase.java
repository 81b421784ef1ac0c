package io.caravan.e2e;

import io.caravan.testing.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.function.UnaryOperator;

/**
 * Where the test gateways of a suite meter: a new SQLite file each (the gateway's default kind of database), or a new
 * database each on a PostgreSQL server the suite starts on 127.0.0.1, so that one suite runs against both.
 */
abstract class MeteringDatabase implements AutoCloseable {

    /** A new, empty database: what to set on a gateway's builder to meter into it (the same for a restart). */
    abstract UnaryOperator<TestGateway.Builder> fresh();

    @Override
    public void close() {
    }

    static MeteringDatabase sqlite() {
        return new MeteringDatabase() {
            @Override
            UnaryOperator<TestGateway.Builder> fresh() {
                try {
                    String url = "jdbc:sqlite:" + Files.createTempDirectory("caravan-usage").resolve("caravan.db");
                    return builder -> builder.store(url);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Skips the suite (or fails it, with {@code -Dpostgres.required=true}) on a machine without PostgreSQL. */
    static MeteringDatabase postgres() {
        PostgresServer server = PostgresServer.start();
        return new MeteringDatabase() {
            @Override
            UnaryOperator<TestGateway.Builder> fresh() {
                String url = server.jdbcUrl(server.createDatabase());
                return builder -> builder.store(url).set("caravan.store.username", server.username())
                        .set("caravan.store.password", server.password());
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
