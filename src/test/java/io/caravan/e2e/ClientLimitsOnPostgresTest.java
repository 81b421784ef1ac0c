package io.caravan.e2e;

/**
 * Client keys' limits and budgets against PostgreSQL: the same suite as {@link ClientLimitsEndToEndTest}, each gateway metering into a new database of a
 * PostgreSQL server started on 127.0.0.1 (skipped without PostgreSQL, unless -Dpostgres.required=true).
 */
class ClientLimitsOnPostgresTest extends ClientLimitsEndToEndTest {

    @Override
    MeteringDatabase databases() {
        return MeteringDatabase.postgres();
    }
}
