package org.orbis.bootstrap.store;

import java.nio.charset.StandardCharsets;
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
import org.orbis.world.credentials.PskCredential;

/**
 * Builds each device's bootstrap configuration from the database when it bootstraps: wipe the Security and Server
 * objects, then write the bootstrap server's own entry (so the device can bootstrap again later), the DM server with
 * the device's DM credentials, and the DM server's Server object.
 */
public final class DatabaseBootstrapConfigStore implements BootstrapConfigStore {

    /** The short server id the DM server gets on every device. */
    public static final int DM_SHORT_SERVER_ID = 123;
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
        Optional<PskCredential> bootstrap = credentials.findByEndpoint(CredentialPurpose.BOOTSTRAP, endpoint);
        Optional<PskCredential> server = credentials.findByEndpoint(CredentialPurpose.DM, endpoint);
        if (bootstrap.isEmpty() || server.isEmpty()) {
            return null;
        }
        BootstrapTargets targets = this.targets.get();
        if (targets == null) {
            return null;
        }
        BootstrapConfig config = new BootstrapConfig();
        config.toDelete = List.of("/0", "/1");
        config.security.put(BOOTSTRAP_SECURITY_INSTANCE, pskSecurity(targets.bootstrapServerUri(), true, bootstrap.get()));
        ServerSecurity dmSecurity = pskSecurity(targets.dmServerUri(), false, server.get());
        dmSecurity.serverId = DM_SHORT_SERVER_ID;
        config.security.put(DM_SECURITY_INSTANCE, dmSecurity);

        ServerConfig dmServer = new ServerConfig();
        dmServer.shortId = DM_SHORT_SERVER_ID;
        dmServer.lifetime = (int) targets.registrationLifetime().toSeconds();
        dmServer.binding = EnumSet.of(BindingMode.U);
        config.servers.put(DM_SERVER_INSTANCE, dmServer);
        return config;
    }

    private static ServerSecurity pskSecurity(String uri, boolean bootstrapServer, PskCredential credential) {
        ServerSecurity security = new ServerSecurity();
        security.uri = uri;
        security.bootstrapServer = bootstrapServer;
        security.securityMode = SecurityMode.PSK;
        security.publicKeyOrId = credential.identity().getBytes(StandardCharsets.UTF_8);
        security.secretKey = credential.key();
        return security;
    }
}
