package org.orbis.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.leshan.client.californium.LeshanClient;
import org.eclipse.leshan.client.californium.LeshanClientBuilder;
import org.eclipse.leshan.client.engine.DefaultRegistrationEngineFactory;
import org.eclipse.leshan.client.resource.LwM2mInstanceEnabler;
import org.eclipse.leshan.client.resource.LwM2mObjectEnabler;
import org.eclipse.leshan.client.resource.ObjectEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.LwM2mId;
import org.orbis.client.dtls.ClientDtlsConfiguration;
import org.orbis.client.firmware.FirmwareHost;
import org.orbis.client.firmware.FirmwareStatus;
import org.orbis.client.firmware.FirmwareUpdateInstance;
import org.orbis.client.firmware.PackageDownload;
import org.orbis.client.objects.DeviceActions;
import org.orbis.client.objects.DeviceInfo;
import org.orbis.client.objects.DeviceInstance;
import org.orbis.client.objects.Drifting;
import org.orbis.client.objects.FactoryResettable;
import org.orbis.client.objects.LightControlInstance;
import org.orbis.client.objects.LightState;
import org.orbis.client.objects.SensorInstance;
import org.orbis.client.objects.SensorProfile;
import org.orbis.client.objects.WorldViewInstance;
import org.orbis.client.objects.WorldViewSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Orbis reference constrained device: a Leshan LwM2M client over DTLS exposing Security, Server, Device,
 * Firmware Update, Connectivity Monitoring, Location, Temperature, Humidity and Light Control, whose sensor values
 * drift over time and whose firmware a server can update (pull or push, see {@link FirmwareUpdateInstance}).
 *
 * <pre>{@code
 * ReferenceClient client = ReferenceClient.builder()
 *         .endpoint("dev-1")
 *         .server(URI.create("coaps://127.0.0.1:5684"))   // or .bootstrapServer(URI.create("coaps://127.0.0.1:5784"))
 *         .pskKey(key)
 *         .build();
 * client.start();
 * client.awaitRegistered(Duration.ofSeconds(10));
 * ...
 * client.destroy(true);                                     // deregisters, then releases threads and sockets
 * }</pre>
 * <p>
 * Thread-safe. Lifecycle: {@link #start()} and {@link #stop(boolean)} may alternate; {@link #destroy(boolean)} is
 * final. Without a shared executor the client owns non-daemon Leshan threads: always destroy it.
 */
public final class ReferenceClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceClient.class);
    /** Lets the Execute response leave before the client restarts. */
    private static final Duration REBOOT_DELAY = Duration.ofMillis(200);
    private static final Duration QUEUE_MODE_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private enum State {
        NEW, STARTED, STOPPED, DESTROYED
    }

    private final ClientSettings settings;
    private final List<ClientEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Object registrationMonitor = new Object();
    private final ScheduledExecutorService scheduler;
    private final LeshanClient leshan;
    /** Written only under the client's lock; read without it so waiters never hold two locks. */
    private volatile State state = State.NEW;
    private ScheduledFuture<?> driftTask;
    private volatile boolean sensorsHeld;
    private final Map<Integer, WorldViewSnapshot> views = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong viewUpdates = new java.util.concurrent.atomic.AtomicLong();
    /** {@code null} unless the client runs in queue mode. */
    private final SleepCycle sleepCycle;
    private final FirmwareUpdateInstance firmware;
    private final ClientEndpoints endpoints;

    ReferenceClient(ClientSettings settings) {
        this.settings = settings;
        this.scheduler = settings.sharedExecutor() != null ? settings.sharedExecutor()
                : Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "orbis-client-" + settings.endpoint());
                    thread.setDaemon(true);
                    return thread;
                });
        DefaultRegistrationEngineFactory engineFactory = new DefaultRegistrationEngineFactory()
                .setRetryWaitingTimeInMs((int) Math.min(Integer.MAX_VALUE, settings.retryInterval().toMillis()));
        this.firmware = new FirmwareUpdateInstance(settings.endpoint(), DeviceInfo.MODEL_NUMBER, settings.firmware(),
                scheduler, new Firmware());
        this.sleepCycle = settings.queueAwake() == null ? null
                : new SleepCycle(settings.endpoint(), settings.queueAwake(), scheduler, this::driftAll, firmware::busy);
        this.endpoints = new ClientEndpoints(sleepCycle == null ? () -> true : sleepCycle::admit,
                settings.sharedExecutor());
        if (sleepCycle != null) {
            // A sleepy device's NAT binding and DTLS session rarely outlive its sleep: resume the session at each wake.
            engineFactory.setQueueMode(true).setReconnectOnUpdate(true).setResumeOnConnect(true);
            // Nor does its radio wait Leshan's default two minutes for an answer: an update lost (a server restarting
            // just then, say) is given up after 30 s and the device registers again instead of staying silent.
            engineFactory.setRequestTimeoutInMs(QUEUE_MODE_REQUEST_TIMEOUT.toMillis());
            engineFactory.setCommunicationPeriod(
                    (int) Math.min(Integer.MAX_VALUE, settings.queueAwake().plus(settings.queueSleep()).toMillis()));
        }
        LeshanClientBuilder builder = new LeshanClientBuilder(settings.endpoint())
                .setLocalAddress(settings.localAddress().getAddress().isAnyLocalAddress() ? null
                        : settings.localAddress().getHostString(), settings.localAddress().getPort())
                .setObjects(ClientObjects.create(settings, new ServerRequestedActions(), this::lightChanged,
                        this::viewChanged, firmware))
                .setCoapConfig(settings.coapConfig())
                .setRegistrationEngineFactory(engineFactory)
                .setEndpointFactory(endpoints);
        if (settings.sharedExecutor() != null) {
            builder.setSharedExecutor(settings.sharedExecutor());
        }
        this.leshan = builder.build();
        leshan.addObserver(new RegistrationEvents(settings.endpoint(), listeners, this::registrationStateChanged,
                sleepCycle == null ? () -> { } : sleepCycle::wokeUp));
        listeners.add(new ClientEventListener() {
            @Override
            public void onRegistered(String serverUri, String registrationId) {
                // Connected again (after a reboot, say): an interrupted download resumes.
                scheduler.execute(firmware::connected);
            }
        });
    }

    /** A builder with the defaults described on its setters. */
    public static ReferenceClientBuilder builder() {
        return new ReferenceClientBuilder();
    }

    /** Starts bootstrapping or registering in the background and starts the sensors drifting. */
    public synchronized void start() {
        if (state == State.DESTROYED) {
            throw new IllegalStateException(settings.endpoint() + " is destroyed and cannot start again");
        }
        if (state == State.STARTED) {
            return;
        }
        LOG.info("{} starting: {} {} with {}, drift every {} ms", settings.endpoint(),
                settings.bootstrap() ? "bootstrap server" : "server", settings.serverUri(), settings.credentials(),
                settings.driftPeriod().toMillis());
        leshan.start();
        if (sleepCycle == null) {
            long period = settings.driftPeriod().toNanos();
            driftTask = scheduler.scheduleAtFixedRate(this::driftAll, period, period, TimeUnit.NANOSECONDS);
        }
        state = State.STARTED;
    }

    /**
     * Stops drifting and talking to servers; {@link #start()} resumes.
     *
     * @param deregister send a De-register first (waits up to about a second for the answer)
     */
    public synchronized void stop(boolean deregister) {
        if (state != State.STARTED) {
            return;
        }
        if (driftTask != null) {
            driftTask.cancel(false);
        }
        if (sleepCycle != null) {
            sleepCycle.stop();
        }
        leshan.stop(deregister);
        state = State.STOPPED;
        registrationStateChanged();
    }

    /**
     * Releases sockets and threads for good (never the shared executor, which belongs to the caller).
     *
     * @param deregister send a De-register first if registered (waits up to about a second for the answer)
     */
    public synchronized void destroy(boolean deregister) {
        if (state == State.DESTROYED) {
            return;
        }
        if (driftTask != null) {
            driftTask.cancel(false);
        }
        firmware.powerLost();
        leshan.destroy(deregister && state == State.STARTED);
        if (scheduler != settings.sharedExecutor()) {
            scheduler.shutdownNow();
        }
        state = State.DESTROYED;
        registrationStateChanged();
    }

    /** Same as {@code destroy(true)}. */
    @Override
    public void close() {
        destroy(true);
    }

    /** Adds a listener; add it before {@link #start()} to hear every event. */
    public void addListener(ClientEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ClientEventListener listener) {
        listeners.remove(listener);
    }

    public String endpoint() {
        return settings.endpoint();
    }

    /** The configured server: the bootstrap server if {@link #usesBootstrap()}, else the DM server. */
    public URI configuredServer() {
        return settings.serverUri();
    }

    public boolean usesBootstrap() {
        return settings.bootstrap();
    }

    /** Whether the client is started and currently registered to a DM server. */
    /** Whether the client is in queue mode and sleeping now (it drops every request from the server). */
    public boolean isAsleep() {
        return sleepCycle != null && sleepCycle.isAsleep();
    }

    public boolean isRegistered() {
        return registeredServer().isPresent();
    }

    /** URI of the DM server the client is registered to, such as {@code coaps://127.0.0.1:5684}. */
    public Optional<String> registeredServer() {
        return registeredServerIdentity().map(ServerIdentity::getUri);
    }

    /**
     * Waits until the client is registered.
     *
     * @return {@code true} if registered within the timeout
     */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (registrationMonitor) {
            while (!isRegistered()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(registrationMonitor, left);
            }
            return true;
        }
    }

    /** Name of the DTLS cipher suite negotiated with the registered server, such as TLS_PSK_WITH_AES_128_CCM_8. */
    public Optional<String> negotiatedCipherSuite() {
        return registeredServerIdentity().flatMap(server -> {
            CoapEndpoint endpoint = leshan.coap().getEndpoint(server);
            return endpoint == null ? Optional.empty()
                    : ClientDtlsConfiguration.negotiatedCipherSuite(endpoint.getConnector(),
                            server.getIdentity().getPeerAddress());
        }).map(CipherSuite::name);
    }

    /** On/Off and Dimmer of light /3311/0. */
    public LightState light() {
        return instance(LightControlInstance.OBJECT_ID, LightControlInstance.class).state();
    }

    public boolean isLightOn() {
        return light().on();
    }

    /** Dimmer of light /3311/0, percent. */
    public int dimmer() {
        return light().dimmer();
    }

    /** Firmware Version (/3/0/3) the device runs now. */
    public String firmwareVersion() {
        return instance(LwM2mId.DEVICE, DeviceInstance.class).firmwareVersion();
    }

    /** State, Update Result and download figures of the Firmware Update object (/5/0). */
    public FirmwareStatus firmware() {
        return firmware.status();
    }

    /**
     * Reboots the device as its Reboot resource (/3/0/4) does: it stops talking to servers, starts again and registers
     * anew. What it stored (a half-downloaded package) survives; what it only held in RAM (World View copies) is lost.
     */
    public void reboot() {
        LOG.info("{} rebooting", settings.endpoint());
        scheduler.schedule(this::restart, REBOOT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Current Sensor Value of /3303/0, degrees Celsius. */
    public double temperature() {
        return instance(SensorProfile.TEMPERATURE_OBJECT_ID, SensorInstance.class).value();
    }

    /** Current Sensor Value of /3304/0, %RH. */
    public double humidity() {
        return instance(SensorProfile.HUMIDITY_OBJECT_ID, SensorInstance.class).value();
    }

    @Override
    public String toString() {
        return "ReferenceClient[" + settings + "]";
    }

    private Optional<ServerIdentity> registeredServerIdentity() {
        if (state != State.STARTED) {
            return Optional.empty();
        }
        return leshan.getRegisteredServers().values().stream().findFirst();
    }

    private void registrationStateChanged() {
        synchronized (registrationMonitor) {
            registrationMonitor.notifyAll();
        }
    }

    private void lightChanged(LightState state) {
        listeners.forEach(l -> l.onLightChanged(state));
    }

    /** Instance 0 of an object, looked up each time because a server may delete or re-create it. */
    private <T extends LwM2mInstanceEnabler> T instance(int objectId, Class<T> type) {
        LwM2mObjectEnabler enabler = leshan.getObjectTree().getObjectEnabler(objectId);
        LwM2mInstanceEnabler instance = enabler instanceof ObjectEnabler objects ? objects.getInstance(0) : null;
        if (!type.isInstance(instance)) {
            throw new IllegalStateException(settings.endpoint() + " has no /" + objectId + "/0 (deleted by a server?)");
        }
        return type.cast(instance);
    }

    /** Runs on the scheduler once per drift period; one failing instance must not stop the others. */
    /**
     * Holds (or resumes) the sensors: while held they take no new readings, so the values the server has converge on the
     * client's. For tests and demonstrations that need a quiet device.
     */
    public void holdSensors(boolean hold) {
        sensorsHeld = hold;
    }

    /** The device's copy of a view, by the view's name. */
    public Optional<WorldViewSnapshot> worldView(String name) {
        return views.values().stream().filter(view -> name.equals(view.name())).findFirst();
    }

    /** Every World View copy the device holds, by instance. */
    public Map<Integer, WorldViewSnapshot> worldViews() {
        return Map.copyOf(views);
    }

    /** How many World View copies servers have written to this device. */
    public long worldViewUpdates() {
        return viewUpdates.get();
    }

    private void forgetWorldViews() {
        if (leshan.getObjectTree().getObjectEnabler(WorldViewInstance.OBJECT_ID) instanceof ObjectEnabler enabler) {
            enabler.getAvailableInstanceIds().forEach(enabler::removeInstance);
        }
        views.clear();
    }

    private void viewChanged(WorldViewSnapshot view) {
        views.put(view.instance(), view);
        viewUpdates.incrementAndGet();
        LOG.info("{}: {}", settings.endpoint(), view.describe().lines().findFirst().orElse(""));
        listeners.forEach(listener -> listener.onWorldViewChanged(view));
    }

    /** Simulates a temperature reading (for demonstrations and tests): /3303/0 reports this value now. */
    public void simulateTemperature(double celsius) {
        instance(SensorProfile.TEMPERATURE_OBJECT_ID, SensorInstance.class).simulate(celsius);
    }

    /** How many readings the temperature sensor /3303/0 has taken. */
    public long temperatureSamples() {
        return instance(SensorProfile.TEMPERATURE_OBJECT_ID, SensorInstance.class).samples();
    }

    private void driftAll() {
        if (sensorsHeld || sleepCycle != null && sleepCycle.isAsleep()) {
            return;
        }
        for (LwM2mInstanceEnabler instance : instances()) {
            if (instance instanceof Drifting drifting) {
                try {
                    drifting.drift();
                } catch (RuntimeException e) {
                    LOG.warn("{}: drifting {} failed", settings.endpoint(), instance.getClass().getSimpleName(), e);
                }
            }
        }
    }

    private List<LwM2mInstanceEnabler> instances() {
        return leshan.getObjectTree().getObjectEnablers().values().stream()
                .filter(ObjectEnabler.class::isInstance).map(ObjectEnabler.class::cast)
                .flatMap(objects -> objects.getAvailableInstanceIds().stream().map(objects::getInstance))
                .filter(instance -> instance != null).toList();
    }

    /** Reboot and Factory Reset executed by a server, run on the scheduler after the response has left. */
    private final class ServerRequestedActions implements DeviceActions {

        @Override
        public void reboot() {
            LOG.info("{} rebooting on server request", settings.endpoint());
            scheduler.schedule(ReferenceClient.this::restart, REBOOT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void factoryReset() {
            LOG.info("{} resetting to factory defaults on server request", settings.endpoint());
            scheduler.schedule(ReferenceClient.this::resetToFactoryDefaults, REBOOT_DELAY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void restart() {
        if (state == State.STARTED) {
            firmware.powerLost();
            leshan.stop(false);
            forgetWorldViews();
            String installed = firmware.bootIntoInstalled();
            if (installed != null) {
                instance(LwM2mId.DEVICE, DeviceInstance.class).installFirmware(installed);
                LOG.info("{} booted into firmware {}", settings.endpoint(), installed);
                listeners.forEach(l -> l.onFirmwareInstalled(installed));
            }
            leshan.start();
        }
    }

    /** What the Firmware Update object needs from the device: downloads, installing, rebooting. */
    private final class Firmware implements FirmwareHost {

        @Override
        public PackageDownload download(URI uri, long offset, byte[] etag, PackageDownload.Sink sink) {
            return PackageDownload.start(settings.endpoint(), uri, offset, etag, sink, scheduler, settings.firmware(),
                    settings.coapConfig(), settings.localAddress().getAddress(), endpoints::securedConfig);
        }

        @Override
        public void installed(String version) {
            scheduler.schedule(ReferenceClient.this::restart, REBOOT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void powerCut() {
            scheduler.execute(ReferenceClient.this::restart);
        }

        @Override
        public void statusChanged(FirmwareStatus status) {
            listeners.forEach(l -> l.onFirmwareStatus(status));
        }
    }

    /** Factory settings back, then the server account from bootstrap again if that is how the client got it. */
    private void resetToFactoryDefaults() {
        for (LwM2mInstanceEnabler instance : instances()) {
            if (instance instanceof FactoryResettable resettable) {
                resettable.restoreFactoryDefaults();
            }
        }
        synchronized (this) {
            // Bootstrapping again needs the bootstrap account to have survived bootstrap; otherwise just reboot.
            boolean bootstrapping = state == State.STARTED && settings.bootstrap()
                    && leshan.triggerClientInitiatedBootstrap(true);
            if (!bootstrapping) {
                restart();
            }
        }
    }
}
