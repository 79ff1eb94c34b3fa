/**
 * Parsing of the reference client's command-line values (durations, hex keys, coaps URIs, socket addresses) into
 * typed values for picocli. Converters reject bad input with a message that says what is expected and never echo a
 * secret back; this package must not start clients or print anything itself.
 */
package org.orbis.client.cli;
