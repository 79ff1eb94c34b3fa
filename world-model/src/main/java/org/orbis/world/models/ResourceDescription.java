package org.orbis.world.models;

/**
 * What the world model knows about one resource node's model.
 *
 * @param objectVersion the version the device registered the object with ({@code 1.0} when it declared none)
 * @param objectName the object's name, or {@code null} when no model of that object version is known
 * @param resource the resource's model, or {@code null} when unknown: the value is kept raw and flagged
 */
public record ResourceDescription(int objectId, String objectVersion, String objectName, ResourceModel resource) {

    public boolean known() {
        return resource != null;
    }

    /** Why the model is unknown, for operators; {@code null} when known. */
    public String unknownReason() {
        if (known()) {
            return null;
        }
        return objectName == null ? "no model of object " + objectId + " version " + objectVersion + " is loaded"
                : "object " + objectId + " (" + objectName + ") version " + objectVersion + " defines no such resource";
    }
}
