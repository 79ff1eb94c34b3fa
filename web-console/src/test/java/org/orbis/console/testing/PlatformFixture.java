package org.orbis.console.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.orbis.client.ClientEventListener;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.PlatformSettings;
import org.orbis.console.platform.SecuritySettings;
import org.orbis.world.access.Role;
import org.orbis.world.store.DatabaseSettings;

/**
 * A running platform on loopback with free ports, an API client for it, and the reference clients a test starts,
 * all torn down by {@link #close()}.
 */
public final class PlatformFixture implements AutoCloseable {

    /** Fast drift so that tests see notifications within a second. */
    public static final Duration DRIFT = Duration.ofMillis(200);

    private final DatabaseSettings database;
    private final UnaryOperator<PlatformSettings> customize;
    /** One master key for the fixture's life, so that a restart opens the secrets sealed before it. */
    private final SecuritySettings security = SecuritySettings.forTests();
    private final List<ReferenceClient> clients = new ArrayList<>();
    private OrbisPlatform platform;
    private ApiClient api;
    private String adminToken;

    public PlatformFixture(DatabaseSettings database) {
        this(database, UnaryOperator.identity());
    }

    /** @param customize adjusts the test settings (loopback, free ports) before the platform starts */
    public PlatformFixture(DatabaseSettings database, UnaryOperator<PlatformSettings> customize) {
        this.database = database;
        this.customize = customize;
    }

    /** The admin every fixture has; {@link #api()} acts as this admin through an API token. */
    public static final String ADMIN = "test-admin";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    public PlatformFixture start() {
        platform = new OrbisPlatform(customize.apply(PlatformSettings.forTests(database)), security).start();
        if (platform.access().user(ADMIN).isEmpty()) {
            platform.access().createUser(ADMIN, Role.ADMIN, platform.passwords().hash(ADMIN_PASSWORD));
        }
        if (adminToken == null) {
            adminToken = platform.access().createToken(ADMIN, "tests", Role.ADMIN, null).secret();
        }
        api = new ApiClient(platform.http().port(), adminToken);
        return this;
    }

    /** Creates a user with a role and answers an API client that acts as them (through a token of their own). */
    public ApiClient userWithRole(String username, Role role, String password) {
        platform.access().createUser(username, role, platform.passwords().hash(password));
        return new ApiClient(httpPort(), platform.access().createToken(username, "tests", role, null).secret());
    }

    /**
     * A planned restart: stops the platform (not the clients), saving its DTLS connections, and starts a new one on
     * the same database and the same ports.
     */
    public void restart() {
        restart(false);
    }

    /**
     * What a crash leaves behind: the DM server stops without saving its DTLS connections (committed world-model
     * values are all there is), then a new platform starts on the same database and ports.
     */
    public void restartAfterCrash() {
        restart(true);
    }

    private void restart(boolean crash) {
        int coaps = platform.dmServer().securedAddress().getPort();
        int bootstrap = platform.bootstrapServer().securedAddress().getPort();
        int http = platform.http().port();
        if (crash) {
            platform.dmServer().closeDiscardingConnections();
        }
        platform.close();
        platform = new OrbisPlatform(customize.apply(PlatformSettings.forTests(database)).withPorts(coaps, bootstrap, http),
                security).start();
        api = new ApiClient(platform.http().port(), adminToken);
    }

    public OrbisPlatform platform() {
        return platform;
    }

    /** An API client acting as the fixture's admin. */
    public ApiClient api() {
        return api;
    }

    public int httpPort() {
        return platform.http().port();
    }

    /** Provisions a device through the API and returns its answer (credentials included). */
    public JsonNode provision(String endpoint) {
        ApiClient.Response response = api.post("/api/devices", "{\"endpoint\":\"" + endpoint + "\"}");
        if (response.status() != 201) {
            throw new AssertionError("provisioning " + endpoint + " failed: " + response);
        }
        return response.json();
    }

    /** Provisions a device through the API with the given JSON body and returns its answer (credentials included). */
    public JsonNode provisionWith(String body) {
        ApiClient.Response response = api.post("/api/devices", body);
        if (response.status() != 201) {
            throw new AssertionError("provisioning failed: " + response);
        }
        return response.json();
    }

    /**
     * Uploads a firmware package for the reference client's model through the API, with the SHA-256 of its bytes, and
     * returns the image the API answered.
     */
    public JsonNode uploadFirmware(String version, byte[] firmwarePackage) {
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(firmwarePackage));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ApiClient.Response response = api.postBytes("/api/firmware?model=orbis-reference&version=" + version
                + "&sha256=" + sha256, "application/octet-stream", firmwarePackage);
        if (response.status() != 201) {
            throw new AssertionError("uploading firmware " + version + " failed: " + response);
        }
        return response.json();
    }

    /** A started client that bootstraps with the bootstrap credential of a provisioning answer, in whatever mode. */
    public ReferenceClient bootstrapClientFor(JsonNode provisioned) {
        return startClient(DeviceCredentials.apply(ReferenceClient.builder()
                .endpoint(provisioned.get("endpoint").asText()).bootstrapServer(bootstrapServerUri()),
                provisioned.get("bootstrap")));
    }

    /** A started client that registers directly with the DM credential of a provisioning answer. */
    public ReferenceClient directClientFor(JsonNode provisioned) {
        return startClient(DeviceCredentials.apply(ReferenceClient.builder()
                .endpoint(provisioned.get("endpoint").asText()).server(dmServerUri()), provisioned.get("server")));
    }

    /** A started reference client that bootstraps with the credentials of a provisioning answer. */
    public ReferenceClient bootstrapClient(JsonNode provisioned) {
        return bootstrapClient(provisioned, UnaryOperator.identity(), new ClientEventListener() {
        });
    }

    /** Like {@link #bootstrapClient(JsonNode)}, with builder settings of the test's own and a listener. */
    public ReferenceClient bootstrapClient(JsonNode provisioned, UnaryOperator<ReferenceClientBuilder> settings,
            ClientEventListener listener) {
        JsonNode bootstrap = provisioned.get("bootstrap");
        return startClient(settings.apply(ReferenceClient.builder().endpoint(provisioned.get("endpoint").asText())
                .bootstrapServer(URI.create(bootstrap.get("uri").asText()))
                .pskIdentity(bootstrap.get("pskIdentity").asText())
                .pskKey(HexFormat.of().parseHex(bootstrap.get("pskKey").asText()))), listener);
    }

    /** A started reference client with the given settings plus loopback, fast drift and quick retries. */
    public ReferenceClient startClient(ReferenceClientBuilder builder) {
        return startClient(builder, new ClientEventListener() {
        });
    }

    /** Like {@link #startClient(ReferenceClientBuilder)}, with a listener that hears every event from the start. */
    public ReferenceClient startClient(ReferenceClientBuilder builder, ClientEventListener listener) {
        ReferenceClient client = builder.localAddress(new InetSocketAddress("127.0.0.1", 0)).driftPeriod(DRIFT)
                .retryInterval(Duration.ofSeconds(1)).build();
        client.addListener(listener);
        synchronized (clients) {
            clients.add(client);
        }
        client.start();
        return client;
    }

    public URI dmServerUri() {
        return URI.create(platform.dmServerUri());
    }

    public URI bootstrapServerUri() {
        return URI.create(platform.bootstrapServerUri());
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(client -> client.destroy(false));
            clients.clear();
        }
        if (platform != null) {
            platform.close();
        }
    }
}
