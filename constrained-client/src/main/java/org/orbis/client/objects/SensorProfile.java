package org.orbis.client.objects;

/**
 * What an IPSO sensor (3303 Temperature, 3304 Humidity) measures and how its simulated value wanders.
 *
 * @param objectId IPSO object id
 * @param units value of Sensor Units (5701)
 * @param minRange Min Range Value (5603): the lowest value the sensor can measure
 * @param maxRange Max Range Value (5604): the highest value the sensor can measure
 * @param low lower bound of the simulated random walk
 * @param high upper bound of the simulated random walk
 * @param maxStep largest change of the value in one drift period
 * @param applicationType default Application Type (5750)
 */
public record SensorProfile(int objectId, String units, double minRange, double maxRange, double low, double high,
        double maxStep, String applicationType) {

    public static final int TEMPERATURE_OBJECT_ID = 3303;
    public static final int HUMIDITY_OBJECT_ID = 3304;

    /** Indoor air temperature in degrees Celsius (UCUM "Cel"), wandering between 15 and 30. */
    public static final SensorProfile TEMPERATURE = new SensorProfile(TEMPERATURE_OBJECT_ID, "Cel", -40, 85, 15, 30,
            0.25, "room air temperature");

    /** Indoor relative humidity in %RH, wandering between 30 and 70. */
    public static final SensorProfile HUMIDITY = new SensorProfile(HUMIDITY_OBJECT_ID, "%RH", 0, 100, 30, 70, 0.8,
            "room relative humidity");

    public SensorProfile {
        if (!(minRange <= low && low < high && high <= maxRange)) {
            throw new IllegalArgumentException("simulated range [" + low + ", " + high
                    + "] must lie inside the sensor range [" + minRange + ", " + maxRange + "]");
        }
    }
}
