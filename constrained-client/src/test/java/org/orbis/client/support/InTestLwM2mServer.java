package org.orbis.client.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.request.DownlinkRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.californium.LeshanServer;
import org.eclipse.leshan.server.californium.LeshanServerBuilder;
import org.eclipse.leshan.server.model.VersionedModelProvider;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.security.InMemorySecurityStore;
import org.eclipse.leshan.server.security.NonUniqueSecurityInfoException;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.client.dtls.ClientDtlsConfiguration;

/**
 * A real Leshan DM server for tests: DTLS-PSK only on 127.0.0.1 with an ephemeral port, an in-memory security store,
 * and the Orbis DDF models loaded the way the Orbis servers load them (Leshan defaults plus {@code /models/index.txt}).
 */
public final class InTestLwM2mServer implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long REQUEST_TIMEOUT_MS = 5_000;

    private final LeshanServer server;
    private final InMemorySecurityStore securityStore;

    private InTestLwM2mServer(LeshanServer server, InMemorySecurityStore securityStore) {
        this.server = server;
        this.securityStore = securityStore;
    }

    public static InTestLwM2mServer start() {
        return start(null);
    }

    /** @param connectionIdLength length of the DTLS Connection IDs the server issues, {@code null} for none */
    public static InTestLwM2mServer start(Integer connectionIdLength) {
        InMemorySecurityStore securityStore = new InMemorySecurityStore();
        LeshanServerBuilder builder = new LeshanServerBuilder();
        if (connectionIdLength != null) {
            builder.setDtlsConfig(DtlsConnectorConfig.builder(LeshanServerBuilder.createDefaultCoapConfiguration())
                    .set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, connectionIdLength));
        }
        builder.setLocalSecureAddress("127.0.0.1", 0);
        builder.disableUnsecuredEndpoint();
        builder.setSecurityStore(securityStore);
        builder.setObjectModelProvider(new VersionedModelProvider(serverSideModels()));
        org.eclipse.californium.elements.config.Configuration coap = LeshanServerBuilder.createDefaultCoapConfiguration();
        // Firmware packages go out in 1024-byte blocks (and a pushed package in 1024-byte Block1 writes).
        coap.set(org.eclipse.californium.core.config.CoapConfig.PREFERRED_BLOCK_SIZE, 1024);
        builder.setCoapConfig(coap);
        LeshanServer server = builder.build();
        if (server.getSecuredAddress() == null) {
            server.destroy();
            throw new IllegalStateException("Leshan built the test server without a DTLS endpoint");
        }
        server.start();
        return new InTestLwM2mServer(server, securityStore);
    }

    /** The snippet the Orbis servers use: Leshan's models plus every DDF listed in /models/index.txt. */
    public static List<ObjectModel> serverSideModels() {
        try (InputStream in = InTestLwM2mServer.class.getResourceAsStream("/models/index.txt")) {
            String[] ddfFiles = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(line -> !line.isEmpty()).toArray(String[]::new);
            List<ObjectModel> models = new ArrayList<>(ObjectLoader.loadDefault());
            models.addAll(ObjectLoader.loadDdfResources("/models/", ddfFiles, true));
            return models;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the Orbis models", e);
        }
    }

    public URI uri() {
        return URI.create("coaps://127.0.0.1:" + server.getSecuredAddress().getPort());
    }

    public LeshanServer leshan() {
        return server;
    }

    public void addPsk(String endpoint, String identity, byte[] key) {
        try {
            securityStore.add(SecurityInfo.newPreSharedKeyInfo(endpoint, identity, key));
        } catch (NonUniqueSecurityInfoException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gives a new reference client a random PSK, starts it (handing it to {@code started} first, so that the caller
     * destroys it even if it fails to register) and waits until this server has its registration.
     */
    public ReferenceClient startRegisteredClient(String endpoint, UnaryOperator<ReferenceClientBuilder> custom,
            Consumer<ReferenceClient> started) throws InterruptedException {
        byte[] key = randomKey();
        addPsk(endpoint, endpoint, key);
        ReferenceClient client = custom.apply(ReferenceClient.builder().endpoint(endpoint).server(uri())
                .pskKey(key).localAddress(new InetSocketAddress("127.0.0.1", 0))).build();
        started.accept(client);
        client.start();
        assertThat(client.awaitRegistered(TIMEOUT)).as("%s registered", endpoint).isTrue();
        awaitRegistration(endpoint);
        return client;
    }

    /** A random 16-byte PSK. */
    public static byte[] randomKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return key;
    }

    public Optional<Registration> registration(String endpoint) {
        return Optional.ofNullable(server.getRegistrationService().getByEndpoint(endpoint));
    }

    public Registration awaitRegistration(String endpoint) {
        return await("registration of " + endpoint).atMost(TIMEOUT)
                .until(() -> registration(endpoint), Optional::isPresent).orElseThrow();
    }

    /** Sends to the endpoint's current registration (never a stale copy) and fails the test on timeout. */
    public <T extends LwM2mResponse> T send(String endpoint, DownlinkRequest<T> request) throws InterruptedException {
        Registration registration = registration(endpoint)
                .orElseThrow(() -> new AssertionError(endpoint + " is not registered"));
        T response = server.send(registration, request, REQUEST_TIMEOUT_MS);
        assertThat(response).as("response of %s to %s", endpoint, request).isNotNull();
        return response;
    }

    /** The server's DTLS context with the endpoint's current address. */
    public Optional<DTLSContext> dtlsContext(String endpoint) {
        DTLSConnector connector = (DTLSConnector) server.coap().getSecuredEndpoint().getConnector();
        return registration(endpoint).map(registration -> connector.getDtlsContextByAddress(registration.getSocketAddress()));
    }

    /** Cipher suite of the server's DTLS session with the endpoint. */
    public Optional<String> negotiatedCipherSuite(String endpoint) {
        return registration(endpoint).flatMap(registration -> ClientDtlsConfiguration.negotiatedCipherSuite(
                server.coap().getSecuredEndpoint().getConnector(), registration.getSocketAddress()))
                .map(Enum::name);
    }

    @Override
    public void close() {
        server.destroy();
    }
}
