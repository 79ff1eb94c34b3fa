/**
 * The self-describing side of the world model: object and resource models (from DDF files, as plain records handed in
 * by the DM server, which knows Leshan) stored in the database, and the lookup that tells, for any resource node, its
 * name, type, units, operations and multiplicity for the object version its device registered with. Resources of
 * objects without a model are kept as raw values and reported as unknown, never dropped.
 */
package org.orbis.world.models;
