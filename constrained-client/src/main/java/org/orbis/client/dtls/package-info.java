/**
 * How the reference client talks DTLS: the Californium {@code Configuration} it is built with (always in code, never
 * from a {@code Californium3.properties} file), the PSK cipher suites it offers and in which order, DTLS Connection ID
 * support, and a read-only look at the negotiated session. This package owns transport settings only; it knows
 * nothing about LwM2M objects or registration.
 */
package org.orbis.client.dtls;
