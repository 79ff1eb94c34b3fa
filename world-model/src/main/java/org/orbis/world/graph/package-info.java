/**
 * Values of the graph: node keys, LwM2M paths, typed values, devices and the change events that the store emits.
 * Everything here is an immutable record, safe to share between threads; nothing here touches the database.
 */
package org.orbis.world.graph;
