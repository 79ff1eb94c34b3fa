package org.orbis.client.objects;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.response.ReadResponse;

/**
 * The Connectivity Monitoring (4) instance of an NB-IoT device: the radio signal strength, link quality and link
 * utilisation wander; the IP address is the one the client uses to reach its server.
 */
public final class ConnectivityMonitoringInstance extends BaseInstanceEnabler implements Drifting {

    public static final int NETWORK_BEARER = 0;
    public static final int AVAILABLE_NETWORK_BEARER = 1;
    public static final int RADIO_SIGNAL_STRENGTH = 2;
    public static final int LINK_QUALITY = 3;
    public static final int IP_ADDRESSES = 4;
    public static final int LINK_UTILIZATION = 6;

    /** Network bearer codes of the object definition. */
    static final long BEARER_NB_IOT = 7;
    static final long BEARER_LTE_FDD = 6;

    private static final List<Integer> RESOURCES = List.of(NETWORK_BEARER, AVAILABLE_NETWORK_BEARER,
            RADIO_SIGNAL_STRENGTH, LINK_QUALITY, IP_ADDRESSES, LINK_UTILIZATION);

    private final String ipAddress;
    private final BoundedRandomWalk signalStrengthDbm;
    private final BoundedRandomWalk linkQuality;
    private final BoundedRandomWalk linkUtilizationPercent;

    /** @param ipAddress the device's IP address as text, reported in IP Addresses (4) */
    public ConnectivityMonitoringInstance(String ipAddress, RandomGenerator random) {
        this.ipAddress = ipAddress;
        this.signalStrengthDbm = new BoundedRandomWalk(-115, -75, -95, 2, 0, random);
        this.linkQuality = new BoundedRandomWalk(40, 100, 75, 3, 0, random);
        this.linkUtilizationPercent = new BoundedRandomWalk(0, 20, 5, 2, 0, random);
    }

    @Override
    public void drift() {
        synchronized (this) {
            signalStrengthDbm.advance();
            linkQuality.advance();
            linkUtilizationPercent.advance();
        }
        fireResourcesChange(getResourcePaths(RADIO_SIGNAL_STRENGTH, LINK_QUALITY, LINK_UTILIZATION));
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        return switch (resourceId) {
        case NETWORK_BEARER -> ReadResponse.success(resourceId, BEARER_NB_IOT);
        case AVAILABLE_NETWORK_BEARER -> ReadResponse.success(resourceId,
                Map.of(0, BEARER_NB_IOT, 1, BEARER_LTE_FDD), Type.INTEGER);
        case RADIO_SIGNAL_STRENGTH -> ReadResponse.success(resourceId, (long) signalStrengthDbm.value());
        case LINK_QUALITY -> ReadResponse.success(resourceId, (long) linkQuality.value());
        case IP_ADDRESSES -> ReadResponse.success(resourceId, Map.of(0, ipAddress), Type.STRING);
        case LINK_UTILIZATION -> ReadResponse.success(resourceId, (long) linkUtilizationPercent.value());
        default -> super.read(identity, resourceId);
        };
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return RESOURCES;
    }
}
