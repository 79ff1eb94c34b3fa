package org.orbis.client.objects;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IPSO Light Control (3311) instance: a dimmable lamp a server switches and dims. While on, it accumulates on
 * time and energy (a {@value #RATED_POWER_WATTS} W lamp scaled by the dimmer). Every On/Off or Dimmer change is logged
 * at INFO with the endpoint and reported to the change listener.
 */
public final class LightControlInstance extends BaseInstanceEnabler implements Drifting, FactoryResettable {

    public static final int OBJECT_ID = 3311;

    public static final int SENSOR_UNITS = 5701;
    public static final int COLOUR = 5706;
    public static final int APPLICATION_TYPE = 5750;
    public static final int CUMULATIVE_ACTIVE_POWER = 5805;
    public static final int POWER_FACTOR = 5820;
    public static final int ON_OFF = 5850;
    public static final int DIMMER = 5851;
    public static final int ON_TIME = 5852;

    static final double RATED_POWER_WATTS = 9.0;
    private static final double POWER_FACTOR_VALUE = 0.92;
    private static final LightState FACTORY_STATE = new LightState(false, 100);
    private static final String FACTORY_COLOUR = "#FFF4E5";
    private static final String FACTORY_APPLICATION_TYPE = "ceiling light";
    private static final List<Integer> RESOURCES = List.of(SENSOR_UNITS, COLOUR, APPLICATION_TYPE,
            CUMULATIVE_ACTIVE_POWER, POWER_FACTOR, ON_OFF, DIMMER, ON_TIME);
    private static final Logger LOG = LoggerFactory.getLogger(LightControlInstance.class);

    private final String endpoint;
    private final Clock clock;
    private final Consumer<LightState> changeListener;
    private LightState state = FACTORY_STATE;
    private String colour = FACTORY_COLOUR;
    private String applicationType = FACTORY_APPLICATION_TYPE;
    private double onSeconds;
    private double energyWh;
    private Instant accountedUntil;

    /**
     * @param endpoint endpoint name, for logs
     * @param changeListener told about every On/Off or Dimmer change, on the thread that made it (a Californium
     *            thread for server writes); must return quickly
     */
    public LightControlInstance(String endpoint, Clock clock, Consumer<LightState> changeListener) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.changeListener = changeListener;
        this.accountedUntil = clock.instant();
    }

    public synchronized LightState state() {
        return state;
    }

    @Override
    public void drift() {
        boolean on;
        synchronized (this) {
            account();
            on = state.on();
        }
        if (on) {
            fireResourcesChange(getResourcePaths(CUMULATIVE_ACTIVE_POWER, ON_TIME));
        }
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        account();
        return switch (resourceId) {
        case ON_OFF -> ReadResponse.success(resourceId, state.on());
        case DIMMER -> ReadResponse.success(resourceId, state.dimmer());
        case ON_TIME -> ReadResponse.success(resourceId, (long) onSeconds);
        case CUMULATIVE_ACTIVE_POWER -> ReadResponse.success(resourceId, Math.round(energyWh * 1000) / 1000.0);
        case POWER_FACTOR -> ReadResponse.success(resourceId, POWER_FACTOR_VALUE);
        case COLOUR -> ReadResponse.success(resourceId, colour);
        case SENSOR_UNITS -> ReadResponse.success(resourceId, "%");
        case APPLICATION_TYPE -> ReadResponse.success(resourceId, applicationType);
        default -> super.read(identity, resourceId);
        };
    }

    @Override
    public WriteResponse write(ServerIdentity identity, boolean replace, int resourceId, LwM2mResource value) {
        if (value.isMultiInstances()) {
            return WriteResponse.badRequest("resource " + resourceId + " is single-instance");
        }
        return switch (resourceId) {
        case ON_OFF -> value.getType() == Type.BOOLEAN
                ? changeState(current -> new LightState((Boolean) value.getValue(), current.dimmer()))
                : WriteResponse.badRequest("On/Off must be a Boolean");
        case DIMMER -> writeDimmer(value);
        case ON_TIME -> writeOnTime(value);
        case COLOUR, APPLICATION_TYPE -> writeText(resourceId, value);
        default -> super.write(identity, replace, resourceId, value);
        };
    }

    @Override
    public void restoreFactoryDefaults() {
        synchronized (this) {
            colour = FACTORY_COLOUR;
            applicationType = FACTORY_APPLICATION_TYPE;
        }
        changeState(current -> FACTORY_STATE);
        fireResourcesChange(getResourcePaths(COLOUR, APPLICATION_TYPE));
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return RESOURCES;
    }

    private WriteResponse writeDimmer(LwM2mResource value) {
        if (value.getType() != Type.INTEGER) {
            return WriteResponse.badRequest("Dimmer must be an Integer");
        }
        long dimmer = (Long) value.getValue();
        if (dimmer < 0 || dimmer > 100) {
            return WriteResponse.badRequest("Dimmer must be within 0..100 but was " + dimmer);
        }
        return changeState(current -> new LightState(current.on(), (int) dimmer));
    }

    private WriteResponse writeOnTime(LwM2mResource value) {
        if (value.getType() != Type.INTEGER || (Long) value.getValue() < 0) {
            return WriteResponse.badRequest("On time must be a non-negative Integer (seconds)");
        }
        synchronized (this) {
            account();
            onSeconds = (Long) value.getValue();
        }
        fireResourceChange(ON_TIME);
        return WriteResponse.success();
    }

    private WriteResponse writeText(int resourceId, LwM2mResource value) {
        if (value.getType() != Type.STRING) {
            return WriteResponse.badRequest("resource " + resourceId + " must be a String");
        }
        synchronized (this) {
            if (resourceId == COLOUR) {
                colour = (String) value.getValue();
            } else {
                applicationType = (String) value.getValue();
            }
        }
        fireResourceChange(resourceId);
        return WriteResponse.success();
    }

    private WriteResponse changeState(UnaryOperator<LightState> change) {
        LightState before;
        LightState after;
        synchronized (this) {
            account();
            before = state;
            after = change.apply(before);
            state = after;
        }
        if (!after.equals(before)) {
            LOG.info("{}: light {} -> {}", endpoint, before, after);
            fireResourcesChange(getResourcePaths(ON_OFF, DIMMER));
            changeListener.accept(after);
        }
        return WriteResponse.success();
    }

    /** Adds on time and energy used since the last accounting; call with the lock held. */
    private void account() {
        Instant now = clock.instant();
        if (state.on() && now.isAfter(accountedUntil)) {
            double seconds = Duration.between(accountedUntil, now).toNanos() / 1e9;
            onSeconds += seconds;
            energyWh += RATED_POWER_WATTS * state.dimmer() / 100.0 * seconds / 3600.0;
        }
        accountedUntil = now;
    }
}
