/**
 * The operator's part of the world: entities (sites, buildings, zones, assets, any kind the operator names) and typed,
 * directed edges between entities and devices. Every mutation runs in a feed transaction, so it gets revisions and
 * change-feed events ({@code ENTITY}, {@code EDGE}) like reported values do, and views can react to it. Bulk imports
 * are validated and applied in one transaction: all or nothing. No network code and no JSON parsing here.
 */
package org.orbis.world.entities;
