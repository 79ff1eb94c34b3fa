package org.orbis.console.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.orbis.server.OrbisDmServer;
import org.orbis.server.views.DeviceViewDelivery;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldWriter;

/**
 * The platform's figures in Prometheus text format ({@code GET /metrics}): registrations and observations, devices by
 * state, notifications received and values committed, the world writer's queue, batches and back-pressure, the
 * registration journal, DTLS handshakes and record drops, the kernel's UDP receive-buffer drops, HTTP latencies and
 * the JVM. Counters are read from the components' own counters at scrape time, so the hot paths pay nothing extra.
 */
public final class PlatformMetrics implements AutoCloseable {

    private static final Duration STATE_COUNT_TTL = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final DeviceStateCounts states;

    public PlatformMetrics(WorldStore world, WorldWriter writer, OrbisDmServer dm, DeviceViewDelivery views) {
        this.states = new DeviceStateCounts(world);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
        bindDevices(dm);
        bindWriter(writer);
        bindIngest(dm);
        bindDtls(dm);
        bindViews(views);
        UdpStatistics.bindTo(registry);
    }

    private void bindDevices(OrbisDmServer dm) {
        Gauge.builder("orbis.registrations", dm.registrations(), r -> r.registrationCount())
                .description("LwM2M registrations the DM server holds").register(registry);
        Gauge.builder("orbis.observations", dm.registrations(), r -> r.observationCount())
                .description("active observations").register(registry);
        for (DeviceState state : DeviceState.values()) {
            Gauge.builder("orbis.devices", states, s -> s.count(state)).tag("state", state.name().toLowerCase())
                    .description("devices of the world model by state").register(registry);
        }
        counter("orbis.registration.journal.flushes", dm, d -> d.registrations().stats().journalFlushes(),
                "transactions the registration journal committed");
        counter("orbis.registration.journal.rows", dm, d -> d.registrations().stats().journalRowsWritten(),
                "registration and observation rows written behind");
        counter("orbis.registration.journal.failures", dm, d -> d.registrations().stats().journalFailures(),
                "registration journal transactions that failed and were retried");
        Gauge.builder("orbis.registration.journal.backlog", dm, d -> d.registrations().stats().journalBacklog())
                .description("registration changes waiting to be written").register(registry);
    }

    private void bindWriter(WorldWriter writer) {
        Gauge.builder("orbis.world.writer.queue", writer, w -> w.stats().queued())
                .description("updates waiting in the world writer's bounded queue").register(registry);
        counter("orbis.world.updates.submitted", writer, w -> w.stats().submitted(), "updates handed to the writer");
        counter("orbis.world.updates.committed", writer, w -> w.stats().processed(),
                "updates the writer has committed (or given up on, see failed)");
        counter("orbis.world.updates.failed", writer, w -> w.stats().failed(),
                "updates that could not be committed and were logged and discarded");
        counter("orbis.world.changes.committed", writer, w -> w.stats().committedChanges(),
                "changes appended to the change feed");
        counter("orbis.world.writer.backpressure.waits", writer, w -> w.stats().backPressureWaits(),
                "times a caller had to wait because the writer queue was full");
        DistributionSummary batchSize = DistributionSummary.builder("orbis.world.writer.batch.size")
                .description("updates per committed batch").publishPercentileHistogram(false)
                .serviceLevelObjectives(1, 10, 100, 250, 500, 1000, 2000, 5000).register(registry);
        Timer batchTime = Timer.builder("orbis.world.writer.batch.commit")
                .description("time to commit one batch").serviceLevelObjectives(Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(registry);
        writer.setBatchObserver((updates, nanos) -> {
            batchSize.record(updates);
            batchTime.record(nanos, TimeUnit.NANOSECONDS);
        });
    }

    private void bindIngest(OrbisDmServer dm) {
        counter("orbis.notifications.received", dm, d -> d.ingestor().notificationCount(),
                "notifications and Send requests received from devices");
        counter("orbis.notifications.errors", dm, d -> d.ingestor().errorCount(),
                "notifications that could not be decoded");
    }

    /** Device views: copies answered by outcome, time from sending a copy to its answer, copies in flight. */
    private void bindViews(DeviceViewDelivery views) {
        Gauge.builder("orbis.view.copies.in.flight", views, DeviceViewDelivery::inFlight)
                .description("World View copies sent and not answered yet").register(registry);
        Timer answered = Timer.builder("orbis.view.copy.answer").description("from sending a World View copy to its "
                + "answer").register(registry);
        views.addListener(delivery -> {
            registry.counter("orbis.view.copies", "outcome", delivery.outcome().name().toLowerCase(Locale.ROOT)).increment();
            answered.record(Duration.between(delivery.sentAt(), delivery.answeredAt()));
        });
    }

    private void bindDtls(OrbisDmServer dm) {
        counter("orbis.dtls.handshakes.started", dm, d -> d.dtlsStats().handshakesStarted(), "DTLS handshakes started");
        counter("orbis.dtls.handshakes.succeeded", dm, d -> d.dtlsStats().handshakesSucceeded(),
                "DTLS handshakes completed");
        counter("orbis.dtls.handshakes.failed", dm, d -> d.dtlsStats().handshakesFailed(),
                "DTLS handshakes that failed (wrong key, timeout, …)");
        counter("orbis.dtls.unknown.psk.identities", dm, d -> d.dtlsStats().unknownPskIdentities(),
                "handshakes with an unknown PSK identity (silently ignored)");
        counter("orbis.dtls.records.received", dm, d -> d.dtlsStats().recordsReceived(), "DTLS records received");
        counter("orbis.dtls.records.dropped", dm, d -> d.dtlsStats().recordsDropped(),
                "DTLS records dropped (bad MAC, unknown connection, replay, overload)");
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    /** Records one HTTP request; {@code route} is the matched route pattern, never the raw path. */
    public void recordHttp(String method, String route, int status, float millis) {
        Timer.builder("orbis.http.server.requests").description("HTTP API and console requests")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(500), Duration.ofSeconds(2))
                .register(registry).record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** The current figures in Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** Devices by state, counted in the database at most every few seconds, whatever the scrape rate. */
    private static final class DeviceStateCounts {
        private final WorldStore world;
        private Map<DeviceState, Long> counts = new EnumMap<>(DeviceState.class);
        private long readAt;

        DeviceStateCounts(WorldStore world) {
            this.world = world;
        }

        synchronized double count(DeviceState state) {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt > STATE_COUNT_TTL.toNanos()) {
                try {
                    counts = world.countByState();
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
                readAt = now;
            }
            return counts.getOrDefault(state, 0L);
        }
    }
}
