package org.orbis.client.objects;

import java.util.List;
import java.util.random.RandomGenerator;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

/**
 * One IPSO sensor instance (3303 Temperature or 3304 Humidity) whose Sensor Value drifts as a bounded random walk;
 * Min/Max Measured Values track it until Reset Min and Max Measured Values (5605) is executed.
 */
public final class SensorInstance extends BaseInstanceEnabler implements Drifting, FactoryResettable {

    public static final int MIN_MEASURED_VALUE = 5601;
    public static final int MAX_MEASURED_VALUE = 5602;
    public static final int MIN_RANGE_VALUE = 5603;
    public static final int MAX_RANGE_VALUE = 5604;
    public static final int RESET_MIN_MAX = 5605;
    public static final int SENSOR_VALUE = 5700;
    public static final int SENSOR_UNITS = 5701;
    public static final int APPLICATION_TYPE = 5750;

    private static final List<Integer> RESOURCES = List.of(MIN_MEASURED_VALUE, MAX_MEASURED_VALUE, MIN_RANGE_VALUE,
            MAX_RANGE_VALUE, RESET_MIN_MAX, SENSOR_VALUE, SENSOR_UNITS, APPLICATION_TYPE);

    private final SensorProfile profile;
    private final BoundedRandomWalk walk;
    private double minMeasured;
    private double maxMeasured;
    private String applicationType;

    /** A sensor starting at a random point of the profile's simulated range. */
    private long samples;

    public SensorInstance(SensorProfile profile, RandomGenerator random) {
        this.profile = profile;
        double start = profile.low() + (profile.high() - profile.low()) * (0.3 + 0.4 * random.nextDouble());
        this.walk = new BoundedRandomWalk(profile.low(), profile.high(), start, profile.maxStep(), 2, random);
        this.minMeasured = walk.value();
        this.maxMeasured = walk.value();
        this.applicationType = profile.applicationType();
    }

    public SensorProfile profile() {
        return profile;
    }

    /** The current Sensor Value (5700). */
    public synchronized double value() {
        return walk.value();
    }

    public synchronized double minMeasured() {
        return minMeasured;
    }

    public synchronized double maxMeasured() {
        return maxMeasured;
    }

    /** How many readings the sensor has taken since it was created (each one changes the Sensor Value). */
    public synchronized long samples() {
        return samples;
    }

    /** Takes a reading of exactly this value (a simulated measurement), notifying observers. */
    public void simulate(double value) {
        boolean minChanged;
        boolean maxChanged;
        synchronized (this) {
            walk.set(value);
            samples++;
            minChanged = value < minMeasured;
            maxChanged = value > maxMeasured;
            minMeasured = Math.min(minMeasured, value);
            maxMeasured = Math.max(maxMeasured, value);
        }
        fireResourcesChange(getResourcePaths(SENSOR_VALUE, minChanged ? MIN_MEASURED_VALUE
                : maxChanged ? MAX_MEASURED_VALUE : SENSOR_VALUE));
    }

    @Override
    public void drift() {
        boolean minChanged;
        boolean maxChanged;
        synchronized (this) {
            double value = walk.advance();
            samples++;
            minChanged = value < minMeasured;
            maxChanged = value > maxMeasured;
            minMeasured = Math.min(minMeasured, value);
            maxMeasured = Math.max(maxMeasured, value);
        }
        if (minChanged) {
            fireResourcesChange(getResourcePaths(SENSOR_VALUE, MIN_MEASURED_VALUE));
        } else if (maxChanged) {
            fireResourcesChange(getResourcePaths(SENSOR_VALUE, MAX_MEASURED_VALUE));
        } else {
            fireResourceChange(SENSOR_VALUE);
        }
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        return switch (resourceId) {
        case SENSOR_VALUE -> ReadResponse.success(resourceId, walk.value());
        case SENSOR_UNITS -> ReadResponse.success(resourceId, profile.units());
        case MIN_MEASURED_VALUE -> ReadResponse.success(resourceId, minMeasured);
        case MAX_MEASURED_VALUE -> ReadResponse.success(resourceId, maxMeasured);
        case MIN_RANGE_VALUE -> ReadResponse.success(resourceId, profile.minRange());
        case MAX_RANGE_VALUE -> ReadResponse.success(resourceId, profile.maxRange());
        case APPLICATION_TYPE -> ReadResponse.success(resourceId, applicationType);
        default -> super.read(identity, resourceId);
        };
    }

    @Override
    public WriteResponse write(ServerIdentity identity, boolean replace, int resourceId, LwM2mResource value) {
        if (resourceId != APPLICATION_TYPE) {
            return super.write(identity, replace, resourceId, value);
        }
        if (value.isMultiInstances() || value.getType() != Type.STRING) {
            return WriteResponse.badRequest("Application Type must be a single String");
        }
        synchronized (this) {
            applicationType = (String) value.getValue();
        }
        fireResourceChange(APPLICATION_TYPE);
        return WriteResponse.success();
    }

    @Override
    public ExecuteResponse execute(ServerIdentity identity, int resourceId, String params) {
        if (resourceId != RESET_MIN_MAX) {
            return super.execute(identity, resourceId, params);
        }
        resetMinMax();
        return ExecuteResponse.success();
    }

    @Override
    public void restoreFactoryDefaults() {
        synchronized (this) {
            applicationType = profile.applicationType();
        }
        resetMinMax();
        fireResourceChange(APPLICATION_TYPE);
    }

    private void resetMinMax() {
        synchronized (this) {
            minMeasured = walk.value();
            maxMeasured = walk.value();
        }
        fireResourcesChange(getResourcePaths(MIN_MEASURED_VALUE, MAX_MEASURED_VALUE));
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return RESOURCES;
    }
}
