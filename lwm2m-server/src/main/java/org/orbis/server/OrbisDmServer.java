package org.orbis.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.leshan.server.californium.LeshanServer;
import org.eclipse.leshan.server.californium.LeshanServerBuilder;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.queue.StaticClientAwakeTimeProvider;
import org.orbis.server.commands.CommandDispatcher;
import org.orbis.server.commands.CommandService;
import org.orbis.server.firmware.FirmwareService;
import org.orbis.server.firmware.FirmwareSettings;
import org.orbis.server.firmware.ZoneDirectory;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.leshan.server.registration.Deregistration;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationServiceImpl;
import org.eclipse.leshan.server.security.DefaultAuthorizer;
import org.orbis.certs.ServerCredentials;
import org.orbis.server.codec.GuardedLwM2mDecoder;
import org.orbis.server.ingest.NotificationIngestor;
import org.orbis.server.models.ModelDescriptors;
import org.orbis.server.models.ObjectModels;
import org.orbis.server.models.ObjectVersionRecorder;
import org.orbis.server.observe.ObservationStarter;
import org.orbis.server.observe.ObservePolicy;
import org.orbis.server.observe.UnconfirmedObservations;
import org.orbis.server.operations.DeviceOperations;
import org.orbis.server.registration.RegistrationRecorder;
import org.orbis.server.registration.store.JdbcRegistrationStore;
import org.orbis.server.restart.ConnectionState;
import org.orbis.server.security.DatabaseSecurityStore;
import org.orbis.server.security.DtlsMonitor;
import org.orbis.world.commands.CommandStore;
import org.orbis.world.commands.DesiredStore;
import org.orbis.certs.dtls.RefusalLoggingCertificateVerifier;
import org.orbis.server.security.RefusalLoggingSecurityChecker;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.DeviceCredential;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.models.ModelCatalog;
import org.orbis.world.store.DevicePage;
import org.orbis.world.store.DeviceQuery;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orbis's DM server: Leshan's server on DTLS (UDP 5684 by default) with security read from the database,
 * registrations mirrored into device states, the observe policy applied at registration, and every notification
 * handed to the world writer. NoSec CoAP is off unless explicitly enabled.
 */
public final class OrbisDmServer implements AutoCloseable {

    public static final int DEFAULT_SECURE_PORT = 5684;
    public static final int DEFAULT_UNSECURED_PORT = 5683;
    private static final Logger LOG = LoggerFactory.getLogger(OrbisDmServer.class);
    private static final String CONNECTION_STATE_LABEL = "orbis-dm-coaps";

    private final LeshanServer leshan;
    private final WorldStore store;
    private final WorldWriter writer;
    private final Clock clock;
    private final DeviceOperations operations;
    private final NotificationIngestor ingestor;
    private final ObservePolicy policy;
    private final DtlsMonitor dtls;
    private final CommandStore commandStore;
    private final DesiredStore desiredStore;
    private final CommandDispatcher dispatcher;
    private final CommandService commandService;
    private final FirmwareService firmware;
    private final Duration operationTimeout;
    private final JdbcRegistrationStore registrations;
    private final ConnectionState connectionState;
    private final boolean connectionsRestored;
    private final UnconfirmedObservations unconfirmed = new UnconfirmedObservations();
    private boolean closed;

    private OrbisDmServer(Builder settings, LeshanServer leshan, DtlsMonitor dtls, JdbcRegistrationStore registrations,
            ConnectionState connectionState, boolean connectionsRestored, DatabaseSecurityStore security) {
        this.leshan = leshan;
        this.dtls = dtls;
        this.registrations = registrations;
        this.connectionState = connectionState;
        this.connectionsRestored = connectionsRestored;
        this.store = settings.store;
        this.writer = settings.writer;
        this.clock = settings.store.clock();
        this.policy = settings.observePolicy;
        this.ingestor = new NotificationIngestor(writer, clock);
        this.operationTimeout = settings.operationTimeout;
        this.operations = new DeviceOperations(leshan, writer, clock, settings.operationTimeout, settings.fallbackModel);

        this.commandStore = new CommandStore(store);
        this.desiredStore = new DesiredStore(store);
        this.dispatcher = new CommandDispatcher(commandStore, operations, clock, settings.commandSweepInterval);
        this.commandService = new CommandService(commandStore, desiredStore, operations, dispatcher);
        this.firmware = new FirmwareService(settings.firmwareSettings, store, commandStore, dispatcher,
                leshan.coap().getServer(), identity -> leshan.getRegistrationService() instanceof RegistrationServiceImpl
                        service ? service.getStore().getRegistrationByIdentity(identity) : null,
                security, settings.publicHost, () -> leshan.getSecuredAddress().getPort(), settings.zones);

        RegistrationRecorder recorder = new RegistrationRecorder(writer, clock);
        leshan.getRegistrationService().addListener(recorder);
        leshan.getPresenceService().addListener(recorder);
        leshan.getRegistrationService().addListener(new ObjectVersionRecorder(writer));
        leshan.getRegistrationService().addListener(new ObservationStarter(leshan, policy, ingestor, unconfirmed));
        leshan.getObservationService().addListener(ingestor);
        leshan.getObservationService().addListener(unconfirmed);
        if (!connectionsRestored && registrations.registrationCount() > 0) {
            // No DTLS state from a planned stop: devices may have given up their observe relations meanwhile.
            List<String> ids = new ArrayList<>();
            registrations.getAllRegistrations().forEachRemaining(registration -> ids.add(registration.getId()));
            unconfirmed.markAll(ids);
        }
        leshan.getSendService().addListener(ingestor);
        leshan.getRegistrationService().addListener(dispatcher);
        leshan.getPresenceService().addListener(dispatcher);
        settings.credentials.addListener(this::dropRegistrations);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Removes the registrations of devices whose DM credentials were withdrawn (revoked or rotated away), after the
     * security store has dropped their DTLS sessions: the device shows offline and must register again, with
     * whatever credentials are valid now.
     */
    private void dropRegistrations(List<DeviceCredential> withdrawn, String reason) {
        withdrawn.stream().filter(credential -> credential.purpose() == CredentialPurpose.DM).forEach(credential -> {
                    String endpoint = credential.endpoint();
                    Registration registration = leshan.getRegistrationService().getByEndpoint(endpoint);
                    if (registration != null && madeWith(registration, credential)
                            && leshan.getRegistrationService() instanceof RegistrationServiceImpl service) {
                        Deregistration removed = service.getStore().removeRegistration(registration.getId());
                        if (removed != null) {
                            service.fireUnregistered(removed.getRegistration(), removed.getObservations(), null);
                            LOG.info("registration of {} removed: its credentials were {}", endpoint, reason);
                        }
                    }
                });
    }

    /** Whether the device registered using this credential (a rotated device may already use its new one). */
    private static boolean madeWith(Registration registration, DeviceCredential credential) {
        var identity = registration.getIdentity();
        return switch (credential.mode()) {
            case PSK -> identity.isPSK() && identity.getPskIdentity().equals(credential.pskIdentity());
            case RPK -> identity.isRPK()
                    && java.util.Arrays.equals(identity.getRawPublicKey().getEncoded(), credential.publicKey());
            case X509 -> identity.isX509();
        };
    }

    /**
     * Starts listening. Registrations and observations live in the database, so devices registered before a restart
     * stay registered and their notifications keep matching; only devices the world model shows online without a
     * stored registration (registered in the last instants before a crash) are marked offline until they register.
     */
    public void start() {
        // Every node publishes the models it decodes with, so that the world model describes resources the same way.
        new ModelCatalog(store).publish(ModelDescriptors.of(ObjectModels.load()));
        int stale = markUnregisteredDevicesOffline();
        leshan.start();
        dispatcher.start();
        firmware.start();
        LOG.info("DM server listening on coaps://{}{}; observe policy {}; {} registrations kept from the previous run{}",
                hostAndPort(leshan.getSecuredAddress()),
                leshan.getUnsecuredAddress() == null ? "" : " and coap://" + hostAndPort(leshan.getUnsecuredAddress()) + " (NoSec)",
                policy, registrations.registrationCount(),
                stale == 0 ? "" : "; " + stale + " devices without a stored registration marked offline until they register");
    }

    public InetSocketAddress securedAddress() {
        return leshan.getSecuredAddress();
    }

    /** The NoSec address, or {@code null} when NoSec is off (the default). */
    public InetSocketAddress unsecuredAddress() {
        return leshan.getUnsecuredAddress();
    }

    public DeviceOperations operations() {
        return operations;
    }

    /** Handshake and record counters of the DTLS endpoint (silent rejections included). */
    public DtlsMonitor.Stats dtlsStats() {
        return dtls.stats();
    }

    /** How long device operations wait for an answer. */
    public long operationTimeoutMillis() {
        return operationTimeout.toMillis();
    }

    /** The database-backed registration and observation store. */
    public JdbcRegistrationStore registrations() {
        return registrations;
    }

    /** Whether this server started with the DTLS connections its predecessor saved at a planned stop. */
    public boolean connectionsRestored() {
        return connectionsRestored;
    }

    public NotificationIngestor ingestor() {
        return ingestor;
    }

    /** The underlying Leshan server, for features Orbis does not wrap yet. */
    public LeshanServer leshan() {
        return leshan;
    }

    /** Queues commands and desired values for devices, delivered whenever each device is reachable. */
    public CommandService commands() {
        return commandService;
    }

    public CommandStore commandStore() {
        return commandStore;
    }

    public DesiredStore desiredStore() {
        return desiredStore;
    }

    /** Firmware packages and update campaigns. */
    public FirmwareService firmware() {
        return firmware;
    }

    /**
     * Stops the server: saves its DTLS connections (unless disabled) so that the next server on the same address
     * carries on every session, writes every pending registration change, and releases threads and sockets.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        firmware.close();
        dispatcher.close();
        if (connectionState != null) {
            try {
                connectionState.save(leshan.coap().getServer());
            } catch (RuntimeException e) {
                LOG.warn("DTLS connections could not be saved ({}); devices will handshake again after the restart",
                        e.toString());
            }
        }
        leshan.destroy();
    }

    /**
     * Stops the server without saving its DTLS connections, as a crash would: after the next start every device
     * must handshake again (a way to force that, e.g. after rotating keys, and how tests stage a crash).
     */
    public synchronized void closeDiscardingConnections() {
        if (closed) {
            return;
        }
        closed = true;
        firmware.close();
        dispatcher.close();
        leshan.destroy();
    }

    private int markUnregisteredDevicesOffline() {
        List<String> stale = new ArrayList<>();
        for (DeviceState state : List.of(DeviceState.ONLINE, DeviceState.SLEEPING)) {
            int offset = 0;
            DevicePage page;
            do {
                page = store.devices(new DeviceQuery(state, null, offset, DeviceQuery.MAX_LIMIT));
                page.devices().stream().map(Device::endpoint)
                        .filter(endpoint -> registrations.getRegistrationByEndpoint(endpoint) == null)
                        .forEach(stale::add);
                offset += page.devices().size();
            } while (offset < page.total() && !page.devices().isEmpty());
        }
        stale.forEach(endpoint -> writer.submit(new DeviceStateChange(endpoint, DeviceState.OFFLINE, null, clock.instant())));
        return stale.size();
    }

    /**
     * Californium's configuration for the DM server: Leshan's defaults plus what tens of thousands of devices need.
     * Public so that benchmarks can give a baseline server exactly the same network settings.
     */
    public static Configuration coapConfiguration() {
        Configuration coap = LeshanServerBuilder.createDefaultCoapConfiguration();
        // The OS default (~208 KB) drops datagrams from about 2,000 notifications/s (field notes §10).
        coap.set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, 4 * 1024 * 1024);
        // Connection ID keeps sessions of devices whose NAT address changes (field notes §4).
        coap.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6);
        // Scandium would check an X.509 *device's* certificate against its IP when the server re-handshakes
        // (field notes §3); devices are identified by CN = endpoint instead.
        coap.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        // The default deduplicator keeps every message for EXCHANGE_LIFETIME (247 s): ~50 KB of heap per device at
        // one CON notification every two seconds (field notes §10). A device has at most NSTART = 1 confirmable
        // message outstanding, so the last few messages per peer are all a duplicate can be of.
        coap.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
        coap.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, 4);
        // Firmware packages travel in 1024-byte blocks, pulled (Block2) and pushed (Block1).
        coap.set(CoapConfig.PREFERRED_BLOCK_SIZE, 1024);
        return coap;
    }

    /** {@code host:port} without InetSocketAddress's leading slash, IPv6 in brackets. */
    static String hostAndPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Assembles a DM server; {@link #build()} fills defaults and fails fast on missing settings. */
    public static final class Builder {
        private WorldStore store;
        private WorldWriter writer;
        private CredentialStore credentials;
        private InetSocketAddress secureAddress = new InetSocketAddress(DEFAULT_SECURE_PORT);
        private InetSocketAddress unsecuredAddress;
        private ObservePolicy observePolicy = ObservePolicy.defaults();
        private Duration operationTimeout = Duration.ofSeconds(15);
        private LwM2mModel fallbackModel;
        private Duration awakeTime = Duration.ofSeconds(10);
        private Duration commandSweepInterval = Duration.ofSeconds(5);
        private ServerCredentials serverCredentials;
        private String publicHost = "127.0.0.1";
        private FirmwareSettings firmwareSettings = FirmwareSettings.defaults();
        private ZoneDirectory zones = ZoneDirectory.NONE;
        private JdbcRegistrationStore.Settings registrationStore = JdbcRegistrationStore.Settings.defaults();
        private boolean keepConnections = true;

        private Builder() {
        }

        /** The host name devices reach this server at, written into firmware Package URIs. Default 127.0.0.1. */
        public Builder publicHost(String publicHost) {
            this.publicHost = publicHost;
            return this;
        }

        /** Where firmware campaigns find the devices of a zone. Default: zone targets are refused. */
        public Builder zones(ZoneDirectory zones) {
            this.zones = zones;
            return this;
        }

        /** Package size limit, package cache and campaign timing. Default {@link FirmwareSettings#defaults()}. */
        public Builder firmware(FirmwareSettings firmwareSettings) {
            this.firmwareSettings = firmwareSettings;
            return this;
        }

        /**
         * The server's certificate and key and the CAs whose device certificates it trusts: with them the one DTLS
         * endpoint accepts PSK, RPK and X.509 devices; without them, PSK only.
         */
        public Builder serverCredentials(ServerCredentials serverCredentials) {
            this.serverCredentials = serverCredentials;
            return this;
        }

        /** The world model the server reports into, and the writer that queues its updates. Required. */
        public Builder world(WorldStore store, WorldWriter writer) {
            this.store = store;
            this.writer = writer;
            return this;
        }

        public Builder credentials(CredentialStore credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder secureAddress(InetSocketAddress address) {
            this.secureAddress = address;
            return this;
        }

        /** Enables the NoSec CoAP endpoint on this address; off unless called. */
        public Builder enableUnsecuredEndpoint(InetSocketAddress address) {
            this.unsecuredAddress = address;
            return this;
        }

        public Builder observePolicy(ObservePolicy policy) {
            this.observePolicy = policy;
            return this;
        }

        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = timeout;
            return this;
        }

        /**
         * How long a queue-mode device is considered awake after each message it sends (default 10 s); nothing is
         * sent to it outside that window.
         */
        public Builder awakeTime(Duration awakeTime) {
            this.awakeTime = awakeTime;
            return this;
        }

        /** How often queued commands are swept for expiry and delayed retries (default 5 s). */
        public Builder commandSweepInterval(Duration interval) {
            this.commandSweepInterval = interval;
            return this;
        }

        /** How the registration store writes behind and expires registrations; defaults suit production. */
        public Builder registrationStore(JdbcRegistrationStore.Settings settings) {
            this.registrationStore = settings;
            return this;
        }

        /**
         * Whether a stop saves the DTLS connections for the next start (default on). The next server must bind the
         * same secure address for devices to carry on.
         */
        public Builder keepConnectionsAcrossRestarts(boolean keep) {
            this.keepConnections = keep;
            return this;
        }

        public OrbisDmServer build() {
            Objects.requireNonNull(store, "world store is required");
            Objects.requireNonNull(writer, "world writer is required");
            Objects.requireNonNull(credentials, "credentials store is required");
            Objects.requireNonNull(observePolicy, "observe policy");
            Objects.requireNonNull(firmwareSettings, "firmware settings");
            if (publicHost == null || publicHost.isBlank()) {
                throw new IllegalStateException("the public host (for firmware Package URIs) must not be empty");
            }
            if (awakeTime.toMillis() < 100 || commandSweepInterval.toMillis() < 10) {
                throw new IllegalStateException("awake time must be at least 100 ms and the sweep interval at least 10 ms");
            }
            if (operationTimeout.isNegative() || operationTimeout.isZero()) {
                throw new IllegalStateException("operation timeout must be positive, was " + operationTimeout);
            }
            List<ObjectModel> models = ObjectModels.load();
            fallbackModel = ObjectModels.latest(models);
            Configuration coap = coapConfiguration();

            DtlsMonitor monitor = new DtlsMonitor();
            DatabaseSecurityStore securityStore = new DatabaseSecurityStore(credentials);
            DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(coap).setHealthHandler(monitor)
                    // saved connections are found again by this label, whatever port 0 resolved to
                    .setSerializationLabel(CONNECTION_STATE_LABEL);
            JdbcRegistrationStore registrations = JdbcRegistrationStore.open(store.database(), registrationStore);
            LeshanServerBuilder builder = new LeshanServerBuilder().setRegistrationStore(registrations);
            if (serverCredentials != null) {
                dtls.setAdvancedCertificateVerifier(
                        new RefusalLoggingCertificateVerifier(serverCredentials.trustAnchors(), "DM server"));
                builder.setPrivateKey(serverCredentials.identity().privateKey())
                        .setCertificateChain(serverCredentials.identity().chainArray());
            }
            builder.setCoapConfig(coap)
                    .setDtlsConfig(dtls)
                    .setLocalSecureAddress(secureAddress)
                    .setSecurityStore(securityStore)
                    .setAuthorizer(new DefaultAuthorizer(securityStore, new RefusalLoggingSecurityChecker()))
                    .setDecoder(new GuardedLwM2mDecoder())
                    .setObjectModelProvider(new VersionedModelProvider(models))
                    .setUpdateRegistrationOnNotification(true)
                    .setClientAwakeTimeProvider(new StaticClientAwakeTimeProvider((int) awakeTime.toMillis()));
            if (unsecuredAddress != null) {
                builder.setLocalAddress(unsecuredAddress);
            } else {
                builder.disableUnsecuredEndpoint();
            }
            LeshanServer leshan;
            try {
                leshan = builder.build();
            } catch (RuntimeException e) {
                registrations.destroy();
                throw e;
            }
            if (leshan.coap().getSecuredEndpoint() == null) {
                leshan.destroy();
                throw new IllegalStateException("the DM server's DTLS endpoint could not be created; see the log above");
            }
            ((DTLSConnector) leshan.coap().getSecuredEndpoint().getConnector()).setAlertHandler(monitor);
            credentials.addListener(securityStore);
            ConnectionState connectionState = null;
            boolean restored = false;
            if (keepConnections) {
                try {
                    connectionState = new ConnectionState(store.database());
                    restored = connectionState.restore(leshan.coap().getServer());
                } catch (RuntimeException e) {
                    leshan.destroy();
                    throw e;
                }
            }
            return new OrbisDmServer(this, leshan, monitor, registrations, connectionState, restored,
                    securityStore);
        }
    }
}
