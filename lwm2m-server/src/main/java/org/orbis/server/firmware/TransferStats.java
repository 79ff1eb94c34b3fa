package org.orbis.server.firmware;

/**
 * What the package resource has served since the server started.
 *
 * @param refused requests refused (unknown device, not allowed, no such image)
 */
public record TransferStats(long bytes, long blocks, long refused) {
}
