/**
 * Mirrors registration events (register, update, deregister, expiry, awake/sleeping) into device states in the world
 * model. Runs on Californium's threads and only hands updates to the world writer.
 */
package org.orbis.server.registration;
