package org.orbis.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.core.observe.ObservationStore;
import org.eclipse.leshan.core.californium.DefaultEndpointFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sleep/awake cycle of a device in LwM2M queue mode: it wakes to send each registration or update and stays awake
 * for the awake window from then, then sleeps: it neither answers nor notices the server's requests (they are dropped on
 * arrival, as a radio that is off would). Its sensors sample once at each wake-up, so notifications leave right after
 * the update that wakes it, as with real sleepy devices. Leshan's registration engine wakes it again with an update
 * every communication period ({@code awake + sleep}).
 */
final class SleepCycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceClient.class);

    private final String endpoint;
    private final Duration awake;
    private final ScheduledExecutorService scheduler;
    private final Runnable sample;
    private volatile boolean asleep;
    private ScheduledFuture<?> fallAsleep;

    /** @param sample runs at each wake-up (the sensors take a new reading) */
    SleepCycle(String endpoint, Duration awake, ScheduledExecutorService scheduler, Runnable sample) {
        this.endpoint = endpoint;
        this.awake = awake;
        this.scheduler = scheduler;
        this.sample = sample;
    }

    boolean isAsleep() {
        return asleep;
    }

    /** The device is about to talk to its server: it is awake for the next awake window. */
    synchronized void wokeUp() {
        if (asleep) {
            LOG.info("{} woke up", endpoint);
        }
        asleep = false;
        if (fallAsleep != null) {
            fallAsleep.cancel(false);
        }
        fallAsleep = scheduler.schedule(this::sleep, awake.toNanos(), TimeUnit.NANOSECONDS);
        scheduler.execute(sample);
    }

    synchronized void stop() {
        if (fallAsleep != null) {
            fallAsleep.cancel(false);
        }
        asleep = false;
    }

    private void sleep() {
        asleep = true;
        LOG.info("{} fell asleep", endpoint);
    }

    /** Builds the client's CoAP endpoints so that requests arriving while asleep are dropped. */
    EndpointFactoryWithGate endpointFactory() {
        return new EndpointFactoryWithGate();
    }

    /** Leshan's endpoint factory plus an interceptor that drops incoming requests while the device sleeps. */
    final class EndpointFactoryWithGate extends DefaultEndpointFactory {

        EndpointFactoryWithGate() {
            super("LWM2M Client", true);
        }

        @Override
        public CoapEndpoint createSecuredEndpoint(DtlsConnectorConfig dtlsConfig, Configuration coapConfig,
                ObservationStore store) {
            CoapEndpoint endpoint = super.createSecuredEndpoint(dtlsConfig, coapConfig, store);
            endpoint.addInterceptor(new MessageInterceptorAdapter() {
                @Override
                public void receiveRequest(Request request) {
                    if (asleep) {
                        request.setCanceled(true);
                    }
                }
            });
            return endpoint;
        }
    }
}
