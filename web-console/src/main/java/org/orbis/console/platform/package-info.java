/**
 * Assembly of the whole platform in one process, in dependency order (database, world model, DM server, bootstrap
 * server, HTTP), and its orderly shutdown in reverse; plus the demo fleet of in-process reference clients.
 */
package org.orbis.console.platform;
