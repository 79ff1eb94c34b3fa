package org.orbis.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * Devices register with each DTLS mode, directly and through bootstrap, including bootstrap in one mode handing out
 * DM credentials of another: real reference clients, real servers, UDP loopback.
 */
class DtlsModesTest {

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"psk", "rpk", "x509"})
    void deviceRegistersDirectlyWithEachMode(String mode) throws Exception {
        String endpoint = "direct-" + mode;
        JsonNode provisioned = fixture.provisionWith("{\"endpoint\":\"" + endpoint + "\",\"serverMode\":\"" + mode + "\"}");
        assertThat(provisioned.at("/server/mode").asText()).isEqualTo(mode);

        ReferenceClient client = fixture.directClientFor(provisioned);

        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        assertOnlineWithValues(endpoint);
        assertThat(client.negotiatedCipherSuite()).hasValueSatisfying(suite -> assertThat(suite)
                .contains(mode.equals("psk") ? "PSK" : "ECDHE_ECDSA"));
    }

    @ParameterizedTest(name = "bootstrap {0} -> DM {1}")
    @CsvSource({"psk,psk", "rpk,rpk", "x509,x509", "psk,x509", "psk,rpk", "x509,psk"})
    void deviceBootstrapsWithOneModeAndRegistersWithTheModeItWasGiven(String bootstrapMode, String serverMode)
            throws Exception {
        String endpoint = "bs-" + bootstrapMode + "-" + serverMode;
        JsonNode provisioned = fixture.provisionWith("{\"endpoint\":\"" + endpoint + "\",\"mode\":\"" + bootstrapMode
                + "\",\"serverMode\":\"" + serverMode + "\"}");

        ReferenceClient client = fixture.bootstrapClientFor(provisioned);

        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        assertOnlineWithValues(endpoint);
        assertThat(client.negotiatedCipherSuite()).hasValueSatisfying(suite -> assertThat(suite)
                .contains(serverMode.equals("psk") ? "PSK" : "ECDHE_ECDSA"));
    }

    private void assertOnlineWithValues(String endpoint) {
        await().atMost(WITHIN).untilAsserted(() -> assertThat(fixture.api().get("/api/devices/" + endpoint).json()
                .get("state").asText()).isEqualTo("online"));
        await().atMost(WITHIN).until(() -> fixture.platform().world().value(endpoint, TEMPERATURE).isPresent());
    }
}
