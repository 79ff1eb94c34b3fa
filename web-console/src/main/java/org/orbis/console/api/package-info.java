/**
 * The HTTP API under {@code /api} (Javalin on Jetty, JSON through Jackson): devices, provisioning, device operations
 * and the Server-Sent Events stream of committed changes. Errors are {@code application/problem+json}. Handlers never
 * wait on a device: operations complete asynchronously.
 */
package org.orbis.console.api;
