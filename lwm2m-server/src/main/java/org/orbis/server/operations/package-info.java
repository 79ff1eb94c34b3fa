/**
 * Operator-initiated device operations (read, write, execute) sent asynchronously through Leshan. Values a device
 * returns or accepts are also handed to the world model, so what the operator sees matches what the device holds.
 */
package org.orbis.server.operations;
