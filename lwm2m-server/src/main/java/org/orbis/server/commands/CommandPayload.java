package org.orbis.server.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What a queued command carries besides its kind and path, stored as JSON in the queue.
 *
 * @param value the value to write (a JSON scalar), for {@code WRITE}
 * @param arguments the execute arguments, for {@code EXECUTE}
 * @param resources resource id → value of the new instance, for {@code CREATE}
 * @param image for a {@code WRITE} of a firmware package: the id of the firmware image whose bytes to write (too big
 *        to keep in the queue itself)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandPayload(Object value, String arguments, Map<Integer, Object> resources, Long image) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @JsonCreator
    public CommandPayload(@JsonProperty("value") Object value, @JsonProperty("arguments") String arguments,
            @JsonProperty("resources") Map<Integer, Object> resources, @JsonProperty("image") Long image) {
        this.value = value;
        this.arguments = arguments;
        this.resources = resources;
        this.image = image;
    }

    public CommandPayload(Object value, String arguments, Map<Integer, Object> resources) {
        this(value, arguments, resources, null);
    }

    public static CommandPayload none() {
        return new CommandPayload(null, null, null);
    }

    /** The payload of a write of firmware image {@code imageId}'s package. */
    public static CommandPayload firmwarePackage(long imageId) {
        return new CommandPayload(null, null, null, imageId);
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a command payload", e);
        }
    }

    public static CommandPayload fromJson(String json) {
        if (json == null || json.isBlank()) {
            return none();
        }
        try {
            return MAPPER.readValue(json, CommandPayload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored command payload is not valid: " + e.getOriginalMessage(), e);
        }
    }
}
