/**
 * The world model: one shared state graph of devices, their LwM2M object instances and resources, and (later)
 * operator entities, stored through JDBC in H2 or PostgreSQL. This module has no network code; the servers feed it
 * and the console reads it.
 */
package org.orbis.world;
