/**
 * Fleet-wide queries over the world graph, written in a small text syntax ({@link org.orbis.world.query.NodeQuery}):
 * by LwM2M path pattern across devices, by device state and registration attributes, by entity kind and attributes,
 * and by graph traversal from any node within N hops. Results come in key order, a page at a time (keyset paging), and
 * every filter is answered by an index so that a page over 50,000 devices takes milliseconds. Read-only.
 */
package org.orbis.world.query;
