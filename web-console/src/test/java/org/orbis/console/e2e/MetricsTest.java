package org.orbis.console.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.testing.TestDatabases;

/** An operator's Prometheus sees registrations, device states, notifications, the writer, DTLS and HTTP latencies. */
class MetricsTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private PlatformFixture fixture;

    @BeforeEach
    void start() {
        fixture = new PlatformFixture(TestDatabases.h2()).start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void metricsShowARegisteredDeviceItsNotificationsAndTheRequestsThatWereServed() throws Exception {
        ReferenceClient client = fixture.bootstrapClient(fixture.provision("metered-1"));
        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        fixture.api().get("/api/devices/metered-1");

        await().atMost(WITHIN).untilAsserted(() -> {
            ApiClient.Response metrics = fixture.api().get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
            String text = metrics.body();
            assertThat(value(text, "orbis_registrations")).isEqualTo(1);
            assertThat(value(text, "orbis_observations")).isGreaterThanOrEqualTo(5);
            assertThat(value(text, "orbis_devices{state=\"online\"}")).isEqualTo(1);
            assertThat(value(text, "orbis_notifications_received_total")).isPositive();
            assertThat(value(text, "orbis_world_updates_committed_total")).isPositive();
            assertThat(value(text, "orbis_world_writer_batch_size_count")).isPositive();
            assertThat(value(text, "orbis_world_writer_queue")).isGreaterThanOrEqualTo(0);
            assertThat(value(text, "orbis_world_writer_backpressure_waits_total")).isZero();
            assertThat(value(text, "orbis_dtls_handshakes_succeeded_total")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "orbis_dtls_handshakes_failed_total")).isZero();
            assertThat(value(text, "orbis_registration_journal_flushes_total")).isPositive();
            assertThat(text).contains("orbis_http_server_requests_seconds_count{method=\"GET\",route=\"/api/devices/{endpoint}\",status=\"200\"}");
        });
    }

    /** The value of the first sample whose name (with labels) starts with {@code series}. */
    private static double value(String text, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$")
                .matcher(text);
        if (!matcher.find()) {
            throw new AssertionError(series + " not among the metrics");
        }
        return Double.parseDouble(matcher.group(1));
    }
}
