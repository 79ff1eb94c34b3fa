package org.orbis.bootstrap;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.leshan.core.request.BootstrapDownlinkRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.bootstrap.BootstrapFailureCause;
import org.eclipse.leshan.server.bootstrap.BootstrapSession;
import org.eclipse.leshan.server.bootstrap.BootstrapSessionAdapter;
import org.eclipse.leshan.server.californium.bootstrap.LeshanBootstrapServer;
import org.eclipse.leshan.server.californium.bootstrap.LeshanBootstrapServerBuilder;
import org.orbis.bootstrap.store.BootstrapTargets;
import org.orbis.certs.ServerCredentials;
import org.orbis.certs.dtls.RefusalLoggingCertificateVerifier;
import org.orbis.bootstrap.store.DatabaseBootstrapConfigStore;
import org.orbis.bootstrap.store.DatabaseBootstrapSecurityStore;
import org.orbis.world.credentials.CredentialStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orbis's bootstrap server: Leshan's bootstrap server on DTLS (UDP 5784 by default) with its configurations and
 * security read from the database. The unsecured CoAP endpoint exists only if explicitly asked for.
 */
public final class OrbisBootstrapServer implements AutoCloseable {

    public static final int DEFAULT_SECURE_PORT = 5784;
    public static final int DEFAULT_UNSECURED_PORT = 5783;
    private static final Logger LOG = LoggerFactory.getLogger(OrbisBootstrapServer.class);

    private final LeshanBootstrapServer leshan;
    private final AtomicReference<BootstrapTargets> targets;
    private final Builder settings;

    private OrbisBootstrapServer(LeshanBootstrapServer leshan, AtomicReference<BootstrapTargets> targets, Builder settings) {
        this.leshan = leshan;
        this.targets = targets;
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    public void start() {
        leshan.start();
        InetSocketAddress secured = leshan.getSecuredAddress();
        String bootstrapUri = settings.bootstrapServerUri != null ? settings.bootstrapServerUri
                : "coaps://" + settings.publicHost + ":" + secured.getPort();
        targets.set(new BootstrapTargets(bootstrapUri, settings.dmServerUri, settings.registrationLifetime,
                settings.serverCredentials == null ? null : settings.serverCredentials.identity().certificate(),
                settings.dmServerCertificate));
        LOG.info("bootstrap server listening on coaps://{}{}; devices are sent to {}", hostAndPort(secured),
                leshan.getUnsecuredAddress() == null ? "" : " and coap://" + hostAndPort(leshan.getUnsecuredAddress()) + " (NoSec)",
                settings.dmServerUri);
    }

    public InetSocketAddress securedAddress() {
        return leshan.getSecuredAddress();
    }

    /** The unsecured address, or {@code null} when NoSec is off (the default). */
    public InetSocketAddress unsecuredAddress() {
        return leshan.getUnsecuredAddress();
    }

    @Override
    public void close() {
        leshan.destroy();
    }

    /** {@code host:port} without InetSocketAddress's leading slash, IPv6 in brackets. */
    static String hostAndPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Assembles a bootstrap server; {@link #build()} fills defaults and fails fast on missing settings. */
    public static final class Builder {
        private CredentialStore credentials;
        private InetSocketAddress secureAddress = new InetSocketAddress(DEFAULT_SECURE_PORT);
        private InetSocketAddress unsecuredAddress;
        private String publicHost = "127.0.0.1";
        private String bootstrapServerUri;
        private String dmServerUri;
        private Duration registrationLifetime = Duration.ofMinutes(5);
        private ServerCredentials serverCredentials;
        private X509Certificate dmServerCertificate;

        private Builder() {
        }

        /**
         * The bootstrap server's certificate and key and the CAs whose device certificates it trusts: with them the
         * DTLS endpoint accepts PSK, RPK and X.509 devices; without them, PSK only.
         */
        public Builder serverCredentials(ServerCredentials serverCredentials) {
            this.serverCredentials = serverCredentials;
            return this;
        }

        /**
         * The certificate the DM server presents. Needed to hand out RPK or X.509 DM credentials: devices pin it
         * (its public key for RPK).
         */
        public Builder dmServerCertificate(X509Certificate certificate) {
            this.dmServerCertificate = certificate;
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

        /** The host name devices use to reach this server, for its own Security entry; default 127.0.0.1. */
        public Builder publicHost(String host) {
            this.publicHost = host;
            return this;
        }

        /** Overrides the bootstrap server URI written to devices (default {@code coaps://<publicHost>:<port>}). */
        public Builder bootstrapServerUri(String uri) {
            this.bootstrapServerUri = uri;
            return this;
        }

        /** The DM server URI bootstrap hands to devices, e.g. {@code coaps://dm.example.com:5684}. Required. */
        public Builder dmServerUri(String uri) {
            this.dmServerUri = uri;
            return this;
        }

        public Builder registrationLifetime(Duration lifetime) {
            this.registrationLifetime = lifetime;
            return this;
        }

        public OrbisBootstrapServer build() {
            Objects.requireNonNull(credentials, "credentials store is required");
            if (dmServerUri == null || !dmServerUri.startsWith("coaps://") && !dmServerUri.startsWith("coap://")) {
                throw new IllegalStateException("dmServerUri must be a coaps:// or coap:// URI, was " + dmServerUri);
            }
            if (registrationLifetime.toSeconds() < 30) {
                throw new IllegalStateException("registration lifetime must be at least 30 s, was " + registrationLifetime);
            }
            AtomicReference<BootstrapTargets> targets = new AtomicReference<>();
            Configuration coap = LeshanBootstrapServerBuilder.createDefaultCoapConfiguration();
            coap.set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, 4 * 1024 * 1024);
            coap.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6);
            coap.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);

            DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(coap);
            LeshanBootstrapServerBuilder builder = new LeshanBootstrapServerBuilder();
            if (serverCredentials != null) {
                dtls.setAdvancedCertificateVerifier(
                        new RefusalLoggingCertificateVerifier(serverCredentials.trustAnchors(), "bootstrap server"));
                builder.setPrivateKey(serverCredentials.identity().privateKey())
                        .setCertificateChain(serverCredentials.identity().chainArray());
            }
            builder.setCoapConfig(coap)
                    .setDtlsConfig(dtls)
                    .setLocalSecureAddress(secureAddress)
                    .setSecurityStore(new DatabaseBootstrapSecurityStore(credentials))
                    .setConfigStore(new DatabaseBootstrapConfigStore(credentials, targets::get));
            if (unsecuredAddress != null) {
                builder.setLocalAddress(unsecuredAddress);
            } else {
                builder.disableUnsecuredEndpoint();
            }
            LeshanBootstrapServer leshan = builder.build();
            if (leshan.getSecuredAddress() == null && leshan.coap().getSecuredEndpoint() == null) {
                leshan.destroy();
                throw new IllegalStateException("the bootstrap server's DTLS endpoint could not be created; see the log above");
            }
            leshan.addListener(new SessionLog());
            return new OrbisBootstrapServer(leshan, targets, this);
        }
    }

    /** One log line per bootstrap outcome, greppable by endpoint. */
    private static final class SessionLog extends BootstrapSessionAdapter {
        @Override
        public void end(BootstrapSession session) {
            LOG.info("bootstrap of {} finished", session.getEndpoint());
        }

        @Override
        public void failed(BootstrapSession session, BootstrapFailureCause cause) {
            LOG.warn("bootstrap of {} failed: {}", session.getEndpoint(), cause);
        }

        @Override
        public void onRequestFailure(BootstrapSession session,
                BootstrapDownlinkRequest<? extends LwM2mResponse> request, Throwable cause) {
            LOG.warn("bootstrap of {}: {} failed: {}", session.getEndpoint(), request.getPath(), cause.toString());
        }
    }
}
