package org.orbis.world.graph;

/** The LwM2M data types a resource value can have. */
public enum ValueType {
    INTEGER, UNSIGNED_INTEGER, FLOAT, BOOLEAN, STRING, OPAQUE, TIME, OBJLNK, CORELNK;

    public boolean isNumeric() {
        return this == INTEGER || this == UNSIGNED_INTEGER || this == FLOAT;
    }
}
