package org.orbis.client.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.leshan.core.SecurityMode;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig.ServerConfig;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig.ServerSecurity;
import org.eclipse.leshan.server.bootstrap.InMemoryBootstrapConfigStore;
import org.eclipse.leshan.server.bootstrap.InvalidConfigurationException;
import org.eclipse.leshan.server.californium.bootstrap.LeshanBootstrapServer;
import org.eclipse.leshan.server.californium.bootstrap.LeshanBootstrapServerBuilder;
import org.eclipse.leshan.server.security.BootstrapSecurityStore;
import org.eclipse.leshan.server.security.SecurityInfo;

/**
 * A real Leshan bootstrap server for tests: DTLS-PSK only on 127.0.0.1 with an ephemeral port. Each provisioned
 * endpoint gets its own bootstrap account back plus one DM server account (Short Server ID 123).
 */
public final class InTestBootstrapServer implements AutoCloseable {

    public static final int DM_SHORT_SERVER_ID = 123;

    private final LeshanBootstrapServer server;
    private final InMemoryBootstrapConfigStore configStore;
    private final Map<String, SecurityInfo> bootstrapCredentials;

    private InTestBootstrapServer(LeshanBootstrapServer server, InMemoryBootstrapConfigStore configStore,
            Map<String, SecurityInfo> bootstrapCredentials) {
        this.server = server;
        this.configStore = configStore;
        this.bootstrapCredentials = bootstrapCredentials;
    }

    public static InTestBootstrapServer start() {
        InMemoryBootstrapConfigStore configStore = new InMemoryBootstrapConfigStore();
        Map<String, SecurityInfo> credentials = new ConcurrentHashMap<>();
        LeshanBootstrapServerBuilder builder = new LeshanBootstrapServerBuilder();
        builder.setLocalSecureAddress("127.0.0.1", 0);
        builder.disableUnsecuredEndpoint();
        builder.setConfigStore(configStore);
        builder.setSecurityStore(new BootstrapSecurityStore() {
            @Override
            public Iterator<SecurityInfo> getAllByEndpoint(String endpoint) {
                SecurityInfo info = credentials.get(endpoint);
                return (info == null ? List.<SecurityInfo> of() : List.of(info)).iterator();
            }

            @Override
            public SecurityInfo getByIdentity(String pskIdentity) {
                return credentials.values().stream().filter(info -> pskIdentity.equals(info.getIdentity()))
                        .findFirst().orElse(null);
            }
        });
        builder.setCoapConfig(LeshanBootstrapServerBuilder.createDefaultCoapConfiguration());
        LeshanBootstrapServer server = builder.build();
        if (server.getSecuredAddress() == null) {
            server.destroy();
            throw new IllegalStateException("Leshan built the test bootstrap server without a DTLS endpoint");
        }
        server.start();
        return new InTestBootstrapServer(server, configStore, credentials);
    }

    public URI uri() {
        return URI.create("coaps://127.0.0.1:" + server.getSecuredAddress().getPort());
    }

    /** Lets the endpoint bootstrap with its own PSK and hands it a PSK account on the DM server. */
    public void provision(String endpoint, String bootstrapIdentity, byte[] bootstrapKey, URI dmServer,
            String dmIdentity, byte[] dmKey) throws InvalidConfigurationException {
        bootstrapCredentials.put(endpoint, SecurityInfo.newPreSharedKeyInfo(endpoint, bootstrapIdentity, bootstrapKey));

        BootstrapConfig config = new BootstrapConfig();
        config.toDelete = List.of("/0", "/1");
        config.security.put(0, pskAccount(uri(), true, bootstrapIdentity, bootstrapKey, null));
        config.security.put(1, pskAccount(dmServer, false, dmIdentity, dmKey, DM_SHORT_SERVER_ID));
        ServerConfig dm = new ServerConfig();
        dm.shortId = DM_SHORT_SERVER_ID;
        dm.lifetime = 300;
        config.servers.put(0, dm);
        configStore.add(endpoint, config);
    }

    private static ServerSecurity pskAccount(URI uri, boolean bootstrap, String identity, byte[] key,
            Integer shortServerId) {
        ServerSecurity security = new ServerSecurity();
        security.uri = uri.toString();
        security.bootstrapServer = bootstrap;
        security.securityMode = SecurityMode.PSK;
        security.publicKeyOrId = identity.getBytes(StandardCharsets.UTF_8);
        security.secretKey = key;
        security.serverId = shortServerId;
        return security;
    }

    @Override
    public void close() {
        server.destroy();
    }
}
