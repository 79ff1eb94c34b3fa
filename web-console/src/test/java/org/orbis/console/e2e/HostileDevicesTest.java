package org.orbis.console.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ClientEventListener;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.server.security.DtlsMonitor;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * Devices that must not get in: a wrong PSK, an unknown identity, and a device claiming another device's endpoint.
 * None of them registers, and an honest device that is already connected keeps being served throughout. Wrong keys
 * and unknown identities are dropped silently by design (no alert an attacker could probe with), so the tests wait for
 * the server's DTLS counters to show the rejection.
 */
class HostileDevicesTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final ResourcePath TEMPERATURE = ResourcePath.parse("/3303/0/5700");

    @TempDir
    Path dataDir;
    PlatformFixture fixture;
    ReferenceClient honest;

    @BeforeEach
    void startPlatformWithOneHonestDevice() throws Exception {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
        honest = fixture.bootstrapClient(fixture.provision("honest-1"));
        assertThat(honest.awaitRegistered(WITHIN)).isTrue();
        await().atMost(WITHIN).until(() -> fixture.platform().world().value("honest-1", TEMPERATURE).isPresent());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void wrongPskIsSilentlyRefusedAndTheHonestDeviceIsUnaffected() throws Exception {
        fixture.provision("victim-2");
        long dropped = dtls().recordsDropped();
        ReferenceClient impostor = fixture.startClient(ReferenceClient.builder().endpoint("victim-2")
                .server(fixture.dmServerUri()).pskIdentity("victim-2").pskKey(new byte[16]));

        // Scandium drops the Finished record it cannot decrypt: from then on the handshake cannot succeed.
        await().atMost(WITHIN).until(() -> dtls().recordsDropped() > dropped);
        assertThat(impostor.isRegistered()).isFalse();
        assertThat(state("victim-2")).isEqualTo("never");
        assertHonestDeviceStillServed();
    }

    @Test
    void unknownPskIdentityIsSilentlyRefused() throws Exception {
        long unknown = dtls().unknownPskIdentities();
        ReferenceClient ghost = fixture.startClient(ReferenceClient.builder().endpoint("ghost")
                .server(fixture.dmServerUri()).pskIdentity("ghost").pskKey(new byte[16]));

        await().atMost(WITHIN).until(() -> dtls().unknownPskIdentities() > unknown);
        assertThat(ghost.isRegistered()).isFalse();
        assertThat(fixture.api().get("/api/devices/ghost").status()).isEqualTo(404);
        assertHonestDeviceStillServed();
    }

    @Test
    void aDeviceClaimingAnotherDevicesEndpointIsRefused() throws Exception {
        JsonNode attacker = fixture.provision("attacker-1");
        fixture.provision("target-1");
        byte[] attackerKey = HexFormat.of().parseHex(attacker.at("/server/pskKey").asText());
        String failure = registrationFailureOf(ReferenceClient.builder().endpoint("target-1")
                .server(fixture.dmServerUri()).pskIdentity(attacker.at("/server/pskIdentity").asText()).pskKey(attackerKey));

        assertThat(failure).contains("FORBIDDEN");
        assertThat(state("target-1")).isEqualTo("never");
        assertThat(state("attacker-1")).isEqualTo("never");
        assertHonestDeviceStillServed();
    }

    /** Starts a client and returns the reason its first registration attempt failed. */
    private String registrationFailureOf(ReferenceClientBuilder builder) throws Exception {
        CompletableFuture<String> failure = new CompletableFuture<>();
        ReferenceClient started = fixture.startClient(builder, new ClientEventListener() {
            @Override
            public void onRegistrationFailed(String uri, String reason) {
                failure.complete("registration failed: " + reason);
            }

            @Override
            public void onRegistered(String uri, String registrationId) {
                failure.complete(null);
            }
        });
        String reason = failure.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(started.isRegistered()).isFalse();
        assertThat(reason).as("the client must fail, not register").isNotNull()
                .startsWith("registration failed");
        return reason;
    }

    private DtlsMonitor.Stats dtls() {
        return fixture.platform().dmServer().dtlsStats();
    }

    private String state(String endpoint) {
        return fixture.api().get("/api/devices/" + endpoint).json().get("state").asText();
    }

    private void assertHonestDeviceStillServed() {
        long revision = fixture.platform().world().value("honest-1", TEMPERATURE).orElseThrow().revision();
        await().atMost(WITHIN).until(() -> fixture.platform().world().value("honest-1", TEMPERATURE).orElseThrow()
                .revision() > revision + 2);
        assertThat(fixture.api().post("/api/devices/honest-1/read", "{\"path\":\"/3/0/0\"}").json()
                .at("/values/0/value").asText()).isEqualTo("Orbis");
        assertThat(state("honest-1")).isEqualTo("online");
    }
}
