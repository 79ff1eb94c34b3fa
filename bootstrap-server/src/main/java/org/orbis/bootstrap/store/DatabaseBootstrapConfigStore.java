package org.orbis.bootstrap.store;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.leshan.core.SecurityMode;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig.ServerConfig;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig.ServerSecurity;
import org.eclipse.leshan.server.bootstrap.BootstrapConfigStore;
import org.eclipse.leshan.server.bootstrap.BootstrapSession;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.DeviceCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each device's bootstrap configuration from the database when it bootstraps: wipe the Security and Server
 * objects (the device keeps its bootstrap account), write the bootstrap server's own entry when the platform holds
 * the device's bootstrap secret (so the device can bootstrap again later with current credentials), the DM server
 * with the device's DM credentials in whatever mode they are (PSK, RPK or X.509, independent of the bootstrap mode),
 * and the DM server's Server object.
 */
public final class DatabaseBootstrapConfigStore implements BootstrapConfigStore {

    /** The short server id the DM server gets on every device. */
    public static final int DM_SHORT_SERVER_ID = 123;
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBootstrapConfigStore.class);
    private static final int BOOTSTRAP_SECURITY_INSTANCE = 0;
    private static final int DM_SECURITY_INSTANCE = 1;
    private static final int DM_SERVER_INSTANCE = 0;

    private final CredentialStore credentials;
    private final Supplier<BootstrapTargets> targets;

    /**
     * @param targets read at each bootstrap, so that ports chosen at start-up can be filled in late; while it
     *        supplies {@code null} (the instant between binding and start-up completing) devices get no configuration
     *        and retry
     */
    public DatabaseBootstrapConfigStore(CredentialStore credentials, Supplier<BootstrapTargets> targets) {
        this.credentials = credentials;
        this.targets = targets;
    }

    @Override
    public BootstrapConfig get(String endpoint, Identity deviceIdentity, BootstrapSession session) {
        Optional<DeviceCredential> bootstrap = credentials.credential(CredentialPurpose.BOOTSTRAP, endpoint);
        Optional<DeviceCredential> server = credentials.credential(CredentialPurpose.DM, endpoint);
        if (bootstrap.isEmpty() || server.isEmpty() || bootstrap.get().isRevoked() || server.get().isRevoked()) {
            return null;
        }
        BootstrapTargets targets = this.targets.get();
        if (targets == null) {
            return null;
        }
        ServerSecurity dmSecurity = security(targets.dmServerUri(), false, server.get(), targets.dmServerCertificate());
        if (dmSecurity == null) {
            LOG.warn("bootstrap of {}: its DM credential is {} without a private key held by the platform, or the DM "
                    + "server has no certificate; nothing to hand out", endpoint, server.get().mode().label());
            return null;
        }
        dmSecurity.serverId = DM_SHORT_SERVER_ID;
        BootstrapConfig config = new BootstrapConfig();
        config.toDelete = List.of("/0", "/1");
        ServerSecurity bootstrapSecurity = security(targets.bootstrapServerUri(), true, bootstrap.get(),
                targets.bootstrapServerCertificate());
        if (bootstrapSecurity != null) {
            config.security.put(BOOTSTRAP_SECURITY_INSTANCE, bootstrapSecurity);
        }
        config.security.put(DM_SECURITY_INSTANCE, dmSecurity);

        ServerConfig dmServer = new ServerConfig();
        dmServer.shortId = DM_SHORT_SERVER_ID;
        dmServer.lifetime = (int) targets.registrationLifetime().toSeconds();
        dmServer.binding = EnumSet.of(BindingMode.U);
        config.servers.put(DM_SERVER_INSTANCE, dmServer);
        return config;
    }

    /** The Security object instance for one server, or {@code null} if the platform cannot fill it in. */
    private static ServerSecurity security(String uri, boolean bootstrapServer, DeviceCredential credential,
            X509Certificate serverCertificate) {
        ServerSecurity security = new ServerSecurity();
        security.uri = uri;
        security.bootstrapServer = bootstrapServer;
        switch (credential.mode()) {
            case PSK -> {
                security.securityMode = SecurityMode.PSK;
                security.publicKeyOrId = credential.pskIdentity().getBytes(StandardCharsets.UTF_8);
                security.secretKey = credential.secret();
            }
            case RPK -> {
                if (credential.secret() == null || serverCertificate == null) {
                    return null;
                }
                security.securityMode = SecurityMode.RPK;
                security.publicKeyOrId = credential.publicKey();
                security.secretKey = credential.secret();
                security.serverPublicKey = serverCertificate.getPublicKey().getEncoded();
            }
            case X509 -> {
                if (credential.secret() == null || serverCertificate == null) {
                    return null;
                }
                security.securityMode = SecurityMode.X509;
                security.publicKeyOrId = credential.certificate();
                security.secretKey = credential.secret();
                security.serverPublicKey = encoded(serverCertificate);
            }
        }
        return security;
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
