/**
 * JDBC storage of the world model on H2 or PostgreSQL: the connection pool and Flyway migrations
 * ({@link org.orbis.world.store.Database}), group-committed writes with a gap-free change feed
 * ({@link org.orbis.world.store.WorldStore}, {@link org.orbis.world.store.WorldWriter}) and reads
 * ({@link org.orbis.world.store.ChangeFeed}). The only H2/PostgreSQL differences live in
 * {@link org.orbis.world.store.SqlDialect}. Nothing here knows about CoAP or LwM2M transport.
 */
package org.orbis.world.store;
