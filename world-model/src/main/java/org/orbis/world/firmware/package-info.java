/**
 * Firmware images and update campaigns, durable: {@link org.orbis.world.firmware.FirmwareStore} keeps uploaded
 * packages (streamed in, checked against their SHA-256), {@link org.orbis.world.firmware.CampaignStore} keeps each
 * campaign's policy and where each of its devices stands, and appends a firmware event to the change feed at every
 * device transition. Storage only: the DM server's campaign runner decides the transitions and talks to devices through
 * the command queue.
 */
package org.orbis.world.firmware;
