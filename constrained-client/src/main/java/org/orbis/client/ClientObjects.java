package org.orbis.client;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.resource.LwM2mInstanceEnabler;
import org.eclipse.leshan.client.resource.LwM2mObjectEnabler;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.model.StaticModel;
import org.orbis.client.firmware.FirmwareUpdateInstance;
import org.orbis.client.model.ObjectModels;
import org.orbis.client.objects.ConnectivityMonitoringInstance;
import org.orbis.client.objects.DeviceActions;
import org.orbis.client.objects.DeviceInfo;
import org.orbis.client.objects.DeviceInstance;
import org.orbis.client.objects.InstanceFactories;
import org.orbis.client.objects.LightControlInstance;
import org.orbis.client.objects.WorldViewInstance;
import org.orbis.client.objects.WorldViewSnapshot;
import org.orbis.client.objects.LightState;
import org.orbis.client.objects.LocationInstance;
import org.orbis.client.objects.SensorInstance;
import org.orbis.client.objects.SensorProfile;

/** Assembles the LwM2M object tree of one reference client from its settings. */
final class ClientObjects {

    /** Short Server ID of the device-management server when the client is configured without bootstrap. */
    static final int DM_SERVER_SHORT_ID = 123;

    /** Where simulated devices live unless told otherwise: central Paris. */
    private static final double HOME_LATITUDE = 48.8566;
    private static final double HOME_LONGITUDE = 2.3522;

    private ClientObjects() {
    }

    /**
     * Security and Server for either bootstrap or a direct DM server account, then Device, Firmware Update,
     * Connectivity Monitoring, Location, Temperature, Humidity and Light Control. Simulated values are seeded from the endpoint name, so a
     * given endpoint always starts at the same place.
     */
    static List<LwM2mObjectEnabler> create(ClientSettings settings, DeviceActions deviceActions,
            Consumer<LightState> lightListener, Consumer<WorldViewSnapshot> viewListener, FirmwareUpdateInstance firmware) {
        SplittableRandom seed = new SplittableRandom(settings.endpoint().hashCode());
        Supplier<RandomGenerator> randoms = () -> {
            synchronized (seed) {
                return seed.split();
            }
        };
        ObjectsInitializer initializer = new ObjectsInitializer(new StaticModel(ObjectModels.all()));
        String uri = settings.serverUri().toString();
        initializer.setInstancesForObject(LwM2mId.SECURITY,
                settings.credentials().security(uri, settings.bootstrap(), DM_SERVER_SHORT_ID));
        if (settings.bootstrap()) {
            initializer.setClassForObject(LwM2mId.SERVER, Server.class);
        } else {
            initializer.setInstancesForObject(LwM2mId.SERVER,
                    new Server(DM_SERVER_SHORT_ID, settings.lifetime().toSeconds()));
        }
        String ipAddress = localIpAddressTowards(settings);
        String endpoint = settings.endpoint();
        install(initializer, LwM2mId.DEVICE, () -> new DeviceInstance(
                DeviceInfo.forEndpoint(endpoint).withFirmwareVersion(settings.firmwareVersion()), settings.clock(),
                randoms.get(), deviceActions));
        install(initializer, LwM2mId.FIRMWARE, () -> firmware);
        install(initializer, LwM2mId.CONNECTIVITY_MONITORING,
                () -> new ConnectivityMonitoringInstance(ipAddress, randoms.get()));
        install(initializer, LwM2mId.LOCATION,
                () -> new LocationInstance(HOME_LATITUDE, HOME_LONGITUDE, settings.clock(), randoms.get()));
        install(initializer, SensorProfile.TEMPERATURE_OBJECT_ID,
                () -> new SensorInstance(SensorProfile.TEMPERATURE, randoms.get()));
        install(initializer, SensorProfile.HUMIDITY_OBJECT_ID,
                () -> new SensorInstance(SensorProfile.HUMIDITY, randoms.get()));
        install(initializer, LightControlInstance.OBJECT_ID,
                () -> new LightControlInstance(endpoint, settings.clock(), lightListener));
        // World View instances exist only once a server gives the device a view (Create, or a replacing Write).
        initializer.setFactoryForObject(WorldViewInstance.OBJECT_ID,
                InstanceFactories.of(() -> new WorldViewInstance(viewListener)));
        return initializer.createAll();
    }

    /** One instance now, and the same kind of instance whenever a server creates one. */
    private static void install(ObjectsInitializer initializer, int objectId,
            Supplier<? extends LwM2mInstanceEnabler> instances) {
        initializer.setFactoryForObject(objectId, InstanceFactories.of(instances));
        initializer.setInstancesForObject(objectId, instances.get());
    }

    /**
     * The local IP address the client's datagrams to its server leave from: the bound address, or for a wildcard
     * bind the address of the route to the server (a connected UDP socket sends nothing).
     */
    private static String localIpAddressTowards(ClientSettings settings) {
        InetAddress bound = settings.localAddress().getAddress();
        if (!bound.isAnyLocalAddress()) {
            return bound.getHostAddress();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(InetAddress.getByName(settings.serverUri().getHost()), settings.serverUri().getPort());
            return probe.getLocalAddress().getHostAddress();
        } catch (IOException | RuntimeException e) {
            return bound.getHostAddress();
        }
    }
}
