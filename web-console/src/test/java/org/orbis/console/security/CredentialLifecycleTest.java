package org.orbis.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.DeviceCredentials;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.console.testing.UdpRelay;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * A device's session across an address change (Connection ID), credential rotation and revocation, as an operator
 * and the device see them.
 */
class CredentialLifecycleTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final ResourcePath TEMPERATURE = ResourcePath.parse("/3303/0/5700");

    @TempDir
    Path dataDir;
    PlatformFixture fixture;

    @BeforeEach
    void startPlatform() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void deviceWhoseAddressChangesKeepsItsSessionWithoutANewHandshake() throws Exception {
        JsonNode provisioned = fixture.provision("nat-1");
        try (UdpRelay nat = new UdpRelay(fixture.platform().dmServer().securedAddress())) {
            ReferenceClient client = fixture.startClient(DeviceCredentials.apply(ReferenceClient.builder()
                    .endpoint("nat-1").server(URI.create("coaps://127.0.0.1:" + nat.address().getPort())),
                    provisioned.get("server")));
            assertThat(client.awaitRegistered(WITHIN)).isTrue();
            await().atMost(WITHIN).until(() -> fixture.platform().world().value("nat-1", TEMPERATURE).isPresent());
            long handshakes = fixture.platform().dmServer().dtlsStats().handshakesSucceeded();
            int oldPort = nat.publicPort();

            nat.rebind();

            long revision = revision("nat-1");
            await().atMost(WITHIN).until(() -> revision("nat-1") > revision + 2);
            assertThat(nat.publicPort()).isNotEqualTo(oldPort);
            assertThat(fixture.api().post("/api/devices/nat-1/read", "{\"path\":\"/3/0/0\"}").json()
                    .at("/values/0/value").asText()).isEqualTo("Orbis");
            assertThat(fixture.platform().dmServer().dtlsStats().handshakesSucceeded()).isEqualTo(handshakes);
        }
    }

    @Test
    void rotatedDmCredentialsReachTheDeviceThroughBootstrapAndTheOldOnesStopWorking() throws Exception {
        JsonNode provisioned = fixture.provision("rotate-1");
        ReferenceClient device = fixture.bootstrapClientFor(provisioned);
        assertThat(device.awaitRegistered(WITHIN)).isTrue();
        assertThat(device.negotiatedCipherSuite()).hasValueSatisfying(suite -> assertThat(suite).contains("PSK"));

        JsonNode rotated = fixture.api().post("/api/devices/rotate-1/credentials", "{\"mode\":\"x509\"}").json();

        assertThat(rotated.get("delivery").asText()).isEqualTo("bootstrap-triggered");
        assertThat(rotated.at("/credential/certificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        await().atMost(WITHIN).untilAsserted(() -> assertThat(device.negotiatedCipherSuite())
                .hasValueSatisfying(suite -> assertThat(suite).contains("ECDHE_ECDSA")));
        await().atMost(WITHIN).until(() -> state("rotate-1").equals("online"));

        // the old PSK identity is now unknown: its handshake is dropped silently, as any unknown identity's
        long unknown = fixture.platform().dmServer().dtlsStats().unknownPskIdentities();
        ReferenceClient stale = fixture.startClient(DeviceCredentials.apply(ReferenceClient.builder()
                .endpoint("rotate-1").server(fixture.dmServerUri()), provisioned.get("server")));
        await().atMost(WITHIN).until(() -> fixture.platform().dmServer().dtlsStats().unknownPskIdentities() > unknown);
        assertThat(stale.isRegistered()).isFalse();
        assertThat(device.isRegistered()).isTrue();
        JsonNode audit = fixture.api().get("/api/security/audit?endpoint=rotate-1").json().get("entries");
        assertThat(audit.findValuesAsText("action")).containsExactly("provisioned", "rotated");
        assertThat(audit.toString()).doesNotContain(provisioned.at("/server/pskKey").asText());
    }

    @Test
    void revokingARegisteredDeviceDropsItsSessionWithinSecondsAndItCannotRegisterAgain() throws Exception {
        JsonNode provisioned = fixture.provisionWith("{\"endpoint\":\"revoke-1\",\"serverMode\":\"rpk\"}");
        ReferenceClient device = fixture.directClientFor(provisioned);
        assertThat(device.awaitRegistered(WITHIN)).isTrue();
        await().atMost(WITHIN).until(() -> fixture.platform().world().value("revoke-1", TEMPERATURE).isPresent());

        assertThat(fixture.api().post("/api/devices/revoke-1/revoke", "").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> state("revoke-1").equals("offline"));
        assertThat(fixture.platform().dmServer().leshan().getRegistrationService().getByEndpoint("revoke-1")).isNull();
        long revision = revision("revoke-1");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> revision("revoke-1") == revision);
        assertThat(registrationFailure(DeviceCredentials.apply(ReferenceClient.builder().endpoint("revoke-1")
                .server(fixture.dmServerUri()), provisioned.get("server")))).contains("FORBIDDEN");
    }

    @Test
    void secretsAreShownOnceAndStoredSealed() throws Exception {
        JsonNode provisioned = fixture.provision("sealed-1");
        String key = provisioned.at("/server/pskKey").asText();

        assertThat(fixture.api().get("/api/devices/sealed-1").body()).doesNotContain(key);
        try (var connection = fixture.platform().world().database().dataSource().getConnection();
                var rows = connection.createStatement().executeQuery(
                        "SELECT secret_sealed, psk_key_hex FROM security_credential WHERE endpoint = 'sealed-1'")) {
            while (rows.next()) {
                assertThat(rows.getString(1)).startsWith("aesgcm1:").doesNotContain(key);
                assertThat(rows.getString(2)).isNull();
            }
        }
    }

    private String registrationFailure(org.orbis.client.ReferenceClientBuilder builder) throws Exception {
        java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
        fixture.startClient(builder, new org.orbis.client.ClientEventListener() {
            @Override
            public void onRegistrationFailed(String uri, String reason) {
                outcome.complete(reason);
            }

            @Override
            public void onRegistered(String uri, String registrationId) {
                outcome.complete(null);
            }
        });
        return outcome.get(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    private long revision(String endpoint) {
        return fixture.platform().world().value(endpoint, TEMPERATURE).orElseThrow().revision();
    }

    private String state(String endpoint) {
        return fixture.api().get("/api/devices/" + endpoint).json().get("state").asText();
    }
}
