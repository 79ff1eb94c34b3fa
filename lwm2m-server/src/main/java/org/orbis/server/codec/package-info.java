/**
 * Decoding of device payloads: Leshan's decoders behind one guard that turns any failure on hostile input into a
 * {@code CodecException}, so a malformed payload is answered as invalid instead of escaping as an unexpected exception
 * on a Californium thread. Pure functions; no I/O.
 */
package org.orbis.server.codec;
