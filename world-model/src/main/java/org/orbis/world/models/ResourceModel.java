package org.orbis.world.models;

/**
 * One resource of an object model.
 *
 * @param type the LwM2M data type as the DDF names it, upper case: {@code FLOAT}, {@code STRING}, … or {@code NONE}
 *     for executable resources
 * @param operations {@code R}, {@code W}, {@code RW}, {@code E} or empty
 * @param units the DDF's units, or {@code null}
 */
public record ResourceModel(int id, String name, String type, String operations, boolean multiple, boolean mandatory,
        String units, String rangeEnumeration, String description) {
}
