package org.orbis.world.store;

import java.util.Locale;

/** The one seam for the differences between the databases Orbis runs on. */
public enum SqlDialect {
    H2(4),
    POSTGRESQL(16);

    private final int defaultPoolSize;

    SqlDialect(int defaultPoolSize) {
        this.defaultPoolSize = defaultPoolSize;
    }

    public static SqlDialect fromJdbcUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL '" + url
                + "': use jdbc:h2:… (embedded) or jdbc:postgresql://host:port/database");
    }

    int defaultPoolSize() {
        return defaultPoolSize;
    }
}
