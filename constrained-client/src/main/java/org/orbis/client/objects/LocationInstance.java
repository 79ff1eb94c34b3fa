package org.orbis.client.objects;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.random.RandomGenerator;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.response.ReadResponse;

/**
 * The Location (6) instance: a fix near a home position that creeps by a few metres per drift period, as a GNSS fix
 * of a stationary device does. The timestamp is the time of the last fix.
 */
public final class LocationInstance extends BaseInstanceEnabler implements Drifting {

    public static final int LATITUDE = 0;
    public static final int LONGITUDE = 1;
    public static final int ALTITUDE = 2;
    public static final int RADIUS = 3;
    public static final int TIMESTAMP = 5;
    public static final int SPEED = 6;

    /** Degrees of latitude/longitude the fix may wander from home (about a kilometre). */
    private static final double WANDER_DEGREES = 0.01;
    private static final double STEP_DEGREES = 0.00003;
    private static final List<Integer> RESOURCES = List.of(LATITUDE, LONGITUDE, ALTITUDE, RADIUS, TIMESTAMP, SPEED);

    private final Clock clock;
    private final BoundedRandomWalk latitude;
    private final BoundedRandomWalk longitude;
    private final BoundedRandomWalk altitude;
    private Instant fixTime;

    /** A device whose home lies within about 5 km of the given point; the random generator chooses where. */
    public LocationInstance(double latitude, double longitude, Clock clock, RandomGenerator random) {
        this.clock = clock;
        double homeLatitude = latitude + (random.nextDouble() - 0.5) * 0.1;
        double homeLongitude = longitude + (random.nextDouble() - 0.5) * 0.1;
        this.latitude = new BoundedRandomWalk(homeLatitude - WANDER_DEGREES, homeLatitude + WANDER_DEGREES,
                homeLatitude, STEP_DEGREES, 6, random);
        this.longitude = new BoundedRandomWalk(homeLongitude - WANDER_DEGREES, homeLongitude + WANDER_DEGREES,
                homeLongitude, STEP_DEGREES, 6, random);
        this.altitude = new BoundedRandomWalk(30, 60, 40, 0.5, 1, random);
        this.fixTime = clock.instant();
    }

    @Override
    public void drift() {
        synchronized (this) {
            latitude.advance();
            longitude.advance();
            altitude.advance();
            fixTime = clock.instant();
        }
        fireResourcesChange(getResourcePaths(LATITUDE, LONGITUDE, ALTITUDE, TIMESTAMP));
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        return switch (resourceId) {
        case LATITUDE -> ReadResponse.success(resourceId, latitude.value());
        case LONGITUDE -> ReadResponse.success(resourceId, longitude.value());
        case ALTITUDE -> ReadResponse.success(resourceId, altitude.value());
        case RADIUS -> ReadResponse.success(resourceId, 10.0);
        case TIMESTAMP -> ReadResponse.success(resourceId, Date.from(fixTime));
        case SPEED -> ReadResponse.success(resourceId, 0.0);
        default -> super.read(identity, resourceId);
        };
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return RESOURCES;
    }
}
