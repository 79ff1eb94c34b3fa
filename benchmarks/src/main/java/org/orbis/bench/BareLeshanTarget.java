package org.orbis.bench;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObject;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.californium.LeshanServer;
import org.eclipse.leshan.server.californium.LeshanServerBuilder;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.eclipse.leshan.server.security.InMemorySecurityStore;
import org.eclipse.leshan.server.security.NonUniqueSecurityInfoException;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.orbis.client.fleet.DeviceCredential;
import org.orbis.server.OrbisDmServer;
import org.orbis.server.models.ObjectModels;

/**
 * The baseline: a bare Leshan server (same Leshan and Californium versions, same DTLS, UDP and deduplication settings
 * and object models as Orbis's DM server), in-memory stores, no persistence. It observes the same objects and only counts what arrives.
 */
final class BareLeshanTarget implements Target {

    private final LeshanServer leshan;
    private final Set<String> observed = ConcurrentHashMap.newKeySet();
    private final AtomicLong received = new AtomicLong();
    private volatile LatencyHistogram delays;

    BareLeshanTarget(List<DeviceCredential> devices) {
        InMemorySecurityStore security = new InMemorySecurityStore();
        for (DeviceCredential device : devices) {
            try {
                security.add(SecurityInfo.newPreSharedKeyInfo(device.endpoint(), device.identity(), device.key()));
            } catch (NonUniqueSecurityInfoException e) {
                throw new IllegalArgumentException(e);
            }
        }
        // exactly the DM server's network settings, so that only what Orbis does with the data differs
        Configuration coap = OrbisDmServer.coapConfiguration();
        leshan = new LeshanServerBuilder().setCoapConfig(coap).setDtlsConfig(DtlsConnectorConfig.builder(coap))
                .setLocalSecureAddress(new InetSocketAddress("127.0.0.1", 0)).disableUnsecuredEndpoint()
                // the same object models, or 3303 would be decoded lossily (as opaque) without any error
                .setObjectModelProvider(new VersionedModelProvider(ObjectModels.load()))
                .setSecurityStore(security).build();
        leshan.getRegistrationService().addListener(new Observer());
        leshan.getObservationService().addListener(new Counter());
        leshan.start();
    }

    /** Observes Device and Temperature at registration, as Orbis's default policy does for these devices. */
    private final class Observer implements RegistrationListener {
        @Override
        public void registered(Registration registration, Registration previous,
                Collection<Observation> previousObservations) {
            leshan.send(registration, new ObserveRequest("/3/0"), 30_000, response -> {
            }, error -> {
            });
            leshan.send(registration, new ObserveRequest("/3303/0"), 30_000, response -> {
                if (response.isSuccess()) {
                    observed.add(registration.getEndpoint());
                }
            }, error -> {
            });
        }

        @Override
        public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        }

        @Override
        public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
                Registration newRegistration) {
        }
    }

    private final class Counter implements ObservationListener {
        @Override
        public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
            if (observation.getPath().getObjectId() != 3303) {
                return;
            }
            received.incrementAndGet();
            LatencyHistogram histogram = delays;
            if (histogram != null) {
                LwM2mResource value = temperature(response.getContent());
                if (value != null) {
                    long delay = TimestampValues.delaySince(String.valueOf(value.getValue()),
                            System.currentTimeMillis());
                    if (delay >= 0) {
                        histogram.record(delay);
                    }
                }
            }
        }

        @Override
        public void onResponse(CompositeObservation observation, Registration registration,
                ObserveCompositeResponse response) {
        }

        private LwM2mResource temperature(LwM2mNode content) {
            if (content instanceof LwM2mObjectInstance instance) {
                return instance.getResource(5700);
            }
            if (content instanceof LwM2mObject object && object.getInstance(0) != null) {
                return object.getInstance(0).getResource(5700);
            }
            return content instanceof LwM2mResource resource ? resource : null;
        }

        @Override
        public void onError(Observation observation, Registration registration, Exception error) {
        }

        @Override
        public void newObservation(Observation observation, Registration registration) {
        }

        @Override
        public void cancelled(Observation observation) {
        }
    }

    @Override
    public String name() {
        return "bare Leshan";
    }

    @Override
    public int securePort() {
        return leshan.getSecuredAddress().getPort();
    }

    @Override
    public int registrations() {
        int count = 0;
        for (var it = leshan.getRegistrationService().getAllRegistrations(); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    @Override
    public int observedDevices() {
        return observed.size();
    }

    @Override
    public long handledNotifications() {
        return received.get();
    }

    @Override
    public void recordDelays(LatencyHistogram histogram) {
        delays = histogram;
    }

    @Override
    public void close() {
        leshan.destroy();
    }
}
