/**
 * The operator's intent for devices, made durable: desired values beside reported ones
 * ({@link org.orbis.world.commands.DesiredStore}) and the per-device command queue
 * ({@link org.orbis.world.commands.CommandStore}) through which everything that must reach a device travels. Storage
 * only: delivery over LwM2M is the DM server's job. Every status change is a change-feed event.
 */
package org.orbis.world.commands;
