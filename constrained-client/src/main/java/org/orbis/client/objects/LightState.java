package org.orbis.client.objects;

/**
 * The state of a Light Control (3311) instance that a server can change.
 *
 * @param on On/Off (5850)
 * @param dimmer Dimmer (5851), percent of full output, 0 to 100
 */
public record LightState(boolean on, int dimmer) {

    public LightState {
        if (dimmer < 0 || dimmer > 100) {
            throw new IllegalArgumentException("dimmer must be within 0..100 but was " + dimmer);
        }
    }

    @Override
    public String toString() {
        return (on ? "on" : "off") + " (dimmer " + dimmer + "%)";
    }
}
