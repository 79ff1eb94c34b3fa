package org.orbis.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
import org.orbis.server.operations.DeviceOperations;
import org.orbis.server.registration.RegistrationRecorder;
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

    private OrbisDmServer(Builder settings, LeshanServer leshan, DtlsMonitor dtls, DatabaseSecurityStore security) {
        this.leshan = leshan;
        this.dtls = dtls;
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
        leshan.getRegistrationService().addListener(new ObservationStarter(leshan, policy, ingestor));
        leshan.getObservationService().addListener(ingestor);
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
     * Starts listening. Registrations are kept in memory, so devices that were online when the server last stopped
     * are marked offline first; they come back online when they next register or update.
     */
    public void start() {
        // Every node publishes the models it decodes with, so that the world model describes resources the same way.
        new ModelCatalog(store).publish(ModelDescriptors.of(ObjectModels.load()));
        int stale = markStaleDevicesOffline();
        leshan.start();
        dispatcher.start();
        firmware.start();
        LOG.info("DM server listening on coaps://{}{}; observe policy {}{}", hostAndPort(leshan.getSecuredAddress()),
                leshan.getUnsecuredAddress() == null ? "" : " and coap://" + hostAndPort(leshan.getUnsecuredAddress()) + " (NoSec)",
                policy, stale == 0 ? "" : "; " + stale + " devices from the previous run marked offline until they register");
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

    @Override
    public void close() {
        firmware.close();
        dispatcher.close();
        leshan.destroy();
    }

    private int markStaleDevicesOffline() {
        List<String> stale = new ArrayList<>();
        for (DeviceState state : List.of(DeviceState.ONLINE, DeviceState.SLEEPING)) {
            int offset = 0;
            DevicePage page;
            do {
                page = store.devices(new DeviceQuery(state, null, offset, DeviceQuery.MAX_LIMIT));
                page.devices().stream().map(Device::endpoint).forEach(stale::add);
                offset += page.devices().size();
            } while (offset < page.total() && !page.devices().isEmpty());
        }
        stale.forEach(endpoint -> writer.submit(new DeviceStateChange(endpoint, DeviceState.OFFLINE, null, clock.instant())));
        return stale.size();
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
            Configuration coap = LeshanServerBuilder.createDefaultCoapConfiguration();
            // The OS default (~208 KB) drops datagrams from about 2,000 notifications/s (field notes §10).
            coap.set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, 4 * 1024 * 1024);
            // Connection ID keeps sessions of devices whose NAT address changes (field notes §4).
            coap.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6);
            // Scandium would check an X.509 *device's* certificate against its IP when the server re-handshakes
            // (field notes §3); devices are identified by CN = endpoint instead.
            coap.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
            // Firmware packages travel in 1024-byte blocks, pulled (Block2) and pushed (Block1).
            coap.set(CoapConfig.PREFERRED_BLOCK_SIZE, 1024);

            DtlsMonitor monitor = new DtlsMonitor();
            DatabaseSecurityStore securityStore = new DatabaseSecurityStore(credentials);
            DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(coap).setHealthHandler(monitor);
            LeshanServerBuilder builder = new LeshanServerBuilder();
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
            LeshanServer leshan = builder.build();
            if (leshan.coap().getSecuredEndpoint() == null) {
                leshan.destroy();
                throw new IllegalStateException("the DM server's DTLS endpoint could not be created; see the log above");
            }
            ((DTLSConnector) leshan.coap().getSecuredEndpoint().getConnector()).setAlertHandler(monitor);
            credentials.addListener(securityStore);
            return new OrbisDmServer(this, leshan, monitor, securityStore);
        }
    }
}
