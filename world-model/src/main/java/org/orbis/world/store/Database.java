package org.orbis.world.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open, migrated database: a HikariCP pool on which Flyway has applied every migration under
 * {@code db/migration}. Shared by every store of the process; close it last.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;

    private Database(HikariDataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Opens the pool and migrates the schema; fails with a message that names the database if either fails. */
    public static Database open(DatabaseSettings settings) {
        SqlDialect dialect = settings.dialect();
        HikariConfig config = new HikariConfig();
        config.setPoolName("orbis-db");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize() > 0 ? settings.maxPoolSize() : dialect.defaultPoolSize());
        config.setAutoCommit(true);
        config.setConnectionTimeout(10_000);
        if (dialect == SqlDialect.POSTGRESQL) {
            // Group commits insert hundreds of feed and history rows per transaction: let the driver send them as
            // multi-row INSERTs instead of one round trip each.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to database " + settings.describe() + ": " + rootMessage(e), e);
        }
        try {
            var result = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.info("database {} ({}) ready, schema version {} ({} migrations applied now)", settings.describe(),
                    dialect, result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot migrate database " + settings.describe() + ": " + rootMessage(e), e);
        }
        return new Database(pool, dialect);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(TransactionWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs several reads that must agree with each other in one repeatable-read transaction: every statement sees the
     * same committed state.
     */
    public <T> T snapshot(TransactionWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    /** Runs a read on a pooled connection in auto-commit mode. */
    public <T> T read(TransactionWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Work done on one connection. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
