package org.orbis.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.junit.jupiter.api.Test;

class ReferenceClientBuilderTest {

    private static final byte[] KEY = { 1, 2, 3, 4 };

    @Test
    void reportsEveryMissingRequiredSettingInOneMessage() {
        assertThatThrownBy(() -> ReferenceClient.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint is required")
                .hasMessageContaining("a server(...) or a bootstrapServer(...) is required")
                .hasMessageContaining("credentials are required: a PSK key");
    }

    @Test
    void refusesADmServerAndABootstrapServerTogether() {
        assertThatThrownBy(() -> ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .server(URI.create("coaps://127.0.0.1:5684")).bootstrapServer(URI.create("coaps://127.0.0.1:5784"))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void refusesAServerWithoutDtls() {
        assertThatThrownBy(() -> ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .server(URI.create("coap://127.0.0.1:5683")).build())
                .hasMessageContaining("must start with coaps://");
    }

    @Test
    void refusesCipherSuitesThatCannotWorkWithItsCredentials() {
        assertThatThrownBy(() -> ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .server(URI.create("coaps://127.0.0.1"))
                .cipherSuites(List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)).build())
                .hasMessageContaining("none of the configured cipher suites works with psk credentials");
    }

    @Test
    void refusesADriftPeriodTooShortToSimulate() {
        assertThatThrownBy(() -> ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .server(URI.create("coaps://127.0.0.1")).driftPeriod(Duration.ofMillis(1)).build())
                .hasMessageContaining("drift period must be at least 10 ms");
    }

    @Test
    void fillsTheDefaultPortOfEachKindOfServer() {
        ReferenceClient direct = ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .server(URI.create("coaps://127.0.0.1")).build();
        ReferenceClient bootstrapped = ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .bootstrapServer(URI.create("coaps://127.0.0.1")).build();
        try {
            assertThat(direct.configuredServer()).isEqualTo(URI.create("coaps://127.0.0.1:5684"));
            assertThat(direct.usesBootstrap()).isFalse();
            assertThat(bootstrapped.configuredServer()).isEqualTo(URI.create("coaps://127.0.0.1:5784"));
            assertThat(bootstrapped.usesBootstrap()).isTrue();
        } finally {
            direct.destroy(false);
            bootstrapped.destroy(false);
        }
    }

    @Test
    void aBuiltClientIsNotRegisteredBeforeItStartsAndCannotRestartOnceDestroyed() {
        ReferenceClient client = ReferenceClient.builder().endpoint("dev").pskKey(KEY)
                .server(URI.create("coaps://127.0.0.1")).build();
        assertThat(client.isRegistered()).isFalse();
        assertThat(client.isLightOn()).isFalse();
        assertThat(client.temperature()).isBetween(15.0, 30.0);

        client.destroy(false);

        assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
    }

    @Test
    void neverShowsTheKeyInItsDescription() {
        ReferenceClient client = ReferenceClient.builder().endpoint("dev").pskKey(new byte[] { 0x5e, 0x5e })
                .server(URI.create("coaps://127.0.0.1")).build();
        try {
            assertThat(client.toString()).contains("dev").doesNotContainIgnoringCase("5e5e").doesNotContain("[94");
        } finally {
            client.destroy(false);
        }
    }
}
