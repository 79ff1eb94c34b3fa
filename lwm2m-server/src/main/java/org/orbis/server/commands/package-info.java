/**
 * Delivery of the durable per-device command queue: {@link org.orbis.server.commands.CommandService} validates and
 * queues commands and desired values; {@link org.orbis.server.commands.CommandDispatcher} sends each device's commands
 * in order whenever the device is reachable (after registering or updating, or while awake in queue mode), retries,
 * expires, and records outcomes. Everything that must reach a device goes through here. Runs on its own named threads,
 * never on Californium's.
 */
package org.orbis.server.commands;
