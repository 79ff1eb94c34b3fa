package org.orbis.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.certs.CertificateAuthority;
import org.orbis.certs.DevelopmentMaterial;
import org.orbis.certs.KeyPairs;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.LogCapture;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.store.DatabaseSettings;

/**
 * Devices that must not get in are refused, and the log says why: a certificate from another CA, a CN that is not
 * the endpoint, a wrong raw public key, a revoked device, an expired certificate.
 */
class RefusedDevicesTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;
    PlatformFixture fixture;
    LogCapture log;

    @BeforeEach
    void startPlatform() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
        log = LogCapture.orbis();
    }

    @AfterEach
    void stop() {
        log.close();
        fixture.close();
    }

    @Test
    void certificateFromAnotherCaIsRefusedAtTheHandshake() {
        fixture.provisionWith("{\"endpoint\":\"foreign-1\",\"serverMode\":\"x509\"}");
        CertificateAuthority otherCa = CertificateAuthority.createRoot("Rogue CA", "Rogue", Duration.ofDays(1));
        KeyPair keys = KeyPairs.ecP256();

        ReferenceClient client = startX509("foreign-1", otherCa.issueDevice("foreign-1", keys.getPublic(),
                Duration.ofDays(1)), keys);

        await().atMost(WITHIN).until(() -> log.contains("certificate CN=foreign-1 is not issued by a trusted CA"));
        assertRefused(client, "foreign-1");
    }

    @Test
    void certificateWhoseCnIsNotTheEndpointIsRefusedAtRegistration() {
        fixture.provisionWith("{\"endpoint\":\"cn-victim\",\"serverMode\":\"x509\"}");
        KeyPair keys = KeyPairs.ecP256();
        X509Certificate someoneElse = DevelopmentMaterial.ca().issueDevice("cn-attacker", keys.getPublic(),
                Duration.ofDays(1));

        ReferenceClient client = fixture.startClient(ReferenceClient.builder().endpoint("cn-victim")
                .server(fixture.dmServerUri()).x509(someoneElse, keys.getPrivate(),
                        fixture.platform().security().dmServer().identity().certificate()));

        await().atMost(WITHIN).until(() -> log.contains("registration of cn-victim refused: certificate CN "
                + "'cn-attacker' differs from the endpoint name"));
        assertRefused(client, "cn-victim");
    }

    @Test
    void wrongRawPublicKeyIsRefusedAtRegistration() {
        JsonNode provisioned = fixture.provisionWith("{\"endpoint\":\"rpk-1\",\"serverMode\":\"rpk\"}");
        KeyPair wrong = KeyPairs.ecP256();

        ReferenceClient client = fixture.startClient(ReferenceClient.builder().endpoint("rpk-1")
                .server(fixture.dmServerUri()).rpk(wrong.getPublic(), wrong.getPrivate(),
                        fixture.platform().security().dmServer().identity().certificate().getPublicKey()));

        await().atMost(WITHIN).until(() -> log.contains("registration of rpk-1 refused: wrong raw public key"));
        assertRefused(client, "rpk-1");
        assertThat(provisioned.at("/server/privateKey").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void revokedDeviceIsRefused() {
        JsonNode provisioned = fixture.provision("revoked-1");
        assertThat(fixture.api().post("/api/devices/revoked-1/revoke", "{\"reason\":\"stolen\"}").status())
                .isEqualTo(200);

        ReferenceClient client = fixture.directClientFor(provisioned);

        await().atMost(WITHIN).until(() -> log.contains("refused revoked-1: device revoked at"));
        assertRefused(client, "revoked-1");
        assertThat(fixture.api().get("/api/security/audit?endpoint=revoked-1").json().at("/entries/1/detail").asText())
                .isEqualTo("stolen");
    }

    @Test
    void expiredCertificateIsRefusedAtTheHandshake() {
        fixture.provisionWith("{\"endpoint\":\"expired-1\",\"serverMode\":\"x509\"}");
        KeyPair keys = KeyPairs.ecP256();
        Instant now = Instant.now();
        X509Certificate expired = DevelopmentMaterial.ca().issueDevice("expired-1", keys.getPublic(),
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));

        ReferenceClient client = startX509("expired-1", expired, keys);

        await().atMost(WITHIN).until(() -> log.contains("certificate CN=expired-1 is expired"));
        assertRefused(client, "expired-1");
    }

    private ReferenceClient startX509(String endpoint, X509Certificate certificate, KeyPair keys) {
        return fixture.startClient(ReferenceClient.builder().endpoint(endpoint).server(fixture.dmServerUri())
                .x509(certificate, keys.getPrivate(), fixture.platform().security().dmServer().identity().certificate()));
    }

    private void assertRefused(ReferenceClient client, String endpoint) {
        assertThat(client.isRegistered()).isFalse();
        assertThat(fixture.api().get("/api/devices/" + endpoint).json().get("state").asText()).isEqualTo("never");
    }
}
