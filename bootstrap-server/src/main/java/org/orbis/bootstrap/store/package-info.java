/**
 * Leshan's bootstrap seams ({@code BootstrapConfigStore}, {@code BootstrapSecurityStore}) implemented on the world
 * model's credential store. Called on Californium threads during handshakes and bootstrap sessions: reads only.
 */
package org.orbis.bootstrap.store;
