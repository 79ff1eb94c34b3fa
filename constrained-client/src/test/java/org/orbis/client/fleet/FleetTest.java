package org.orbis.client.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orbis.client.support.InTestLwM2mServer;

/**
 * A fleet of virtual devices registers with a real Leshan server over DTLS-PSK (plain PSK), is observed, notifies at
 * the requested rate, some in queue mode, and deregisters at the end; the summary says so.
 */
@Tag("slow")
class FleetTest {

    private static final int DEVICES = 40;
    private InTestLwM2mServer server;
    private final AtomicInteger notifications = new AtomicInteger();

    @BeforeEach
    void startServer() {
        server = InTestLwM2mServer.start(6);
        server.leshan().getRegistrationService().addListener(new RegistrationListener() {
            @Override
            public void registered(Registration registration, Registration previous,
                    java.util.Collection<Observation> previousObservations) {
                server.leshan().send(registration, new ObserveRequest("/3303/0"), 5_000, response -> {
                }, error -> {
                });
            }

            @Override
            public void updated(RegistrationUpdate update, Registration updatedRegistration,
                    Registration previousRegistration) {
            }

            @Override
            public void unregistered(Registration registration, java.util.Collection<Observation> observations,
                    boolean expired, Registration newReg) {
            }
        });
        server.leshan().getObservationService().addListener(new ObservationListener() {
            @Override
            public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
                notifications.incrementAndGet();
            }

            @Override
            public void onResponse(CompositeObservation observation, Registration registration,
                    ObserveCompositeResponse response) {
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
        });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void virtualDevicesRegisterNotifyAndDeregister() throws Exception {
        List<DeviceCredential> credentials = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            byte[] key = new byte[16];
            key[0] = (byte) i;
            String endpoint = "virtual-" + i;
            credentials.add(new DeviceCredential(endpoint, endpoint + "-id", key));
            server.addPsk(endpoint, endpoint + "-id", key);
        }
        FleetSettings settings = new FleetSettings(
                new InetSocketAddress("127.0.0.1", server.uri().getPort()), "127.0.0.1", 200, 40, 0.25,
                Duration.ofSeconds(30), Duration.ofSeconds(3), false, true, true, 100, 2);
        StringWriter progress = new StringWriter();

        FleetStats.Snapshot summary;
        try (Fleet fleet = new Fleet(settings, credentials)) {
            summary = fleet.run(new PrintWriter(progress), Duration.ofMillis(500));
        }

        assertThat(summary.registered()).isEqualTo(DEVICES);
        assertThat(summary.observed()).isEqualTo(DEVICES);
        assertThat(summary.notificationsSent()).isGreaterThan(DEVICES);
        assertThat(summary.notificationsAcked()).isGreaterThan(DEVICES / 2);
        assertThat(notifications.get()).isGreaterThan(DEVICES / 2);
        assertThat(summary.deregistered()).isEqualTo(DEVICES);
        assertThat(summary.errors()).isEmpty();
        assertThat(progress.toString()).contains("registered " + DEVICES + "/" + DEVICES);
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.leshan().getRegistrationService().getAllRegistrations().hasNext());
    }
}
