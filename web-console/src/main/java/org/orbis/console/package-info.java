/**
 * The operator-facing application and the all-in-one launcher ({@link org.orbis.console.OrbisLauncher}): one process
 * with the world model, the bootstrap server, the DM server and the HTTP API with its console page.
 */
package org.orbis.console;
