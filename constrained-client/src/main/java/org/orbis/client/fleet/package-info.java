/**
 * The fleet simulator ({@code orbis-client fleet}): tens of thousands of virtual LwM2M devices in one JVM, each with
 * its own UDP socket and Scandium DTLS connection, sharing a few selector threads and one executor. For load tests and
 * benchmarks; it depends on no server module.
 */
package org.orbis.client.fleet;
