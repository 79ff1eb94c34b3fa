package org.orbis.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.orbis.client.dtls.ClientDtlsConfiguration;
import org.orbis.client.firmware.FirmwareSettings;
import org.orbis.client.objects.DeviceInfo;

/**
 * Assembles a {@link ReferenceClient}. Setters only record values; {@link #build()} fills defaults and rejects bad or
 * conflicting settings with one message listing every problem.
 * <p>
 * Required: {@link #endpoint}, exactly one kind of credentials ({@link #pskKey}, {@link #rpk} or {@link #x509}), and
 * exactly one of {@link #server} (direct registration) or {@link #bootstrapServer}. Everything else has a default.
 */
public final class ReferenceClientBuilder {

    /** Default port of a DM server URI without one (IANA CoAP over DTLS). */
    public static final int DEFAULT_SERVER_PORT = 5684;
    /** Default port of a bootstrap server URI without one: the Orbis bootstrap server's CoAPS port. */
    public static final int DEFAULT_BOOTSTRAP_PORT = 5784;
    public static final Duration DEFAULT_DRIFT_PERIOD = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(30);
    static final Duration MIN_DRIFT_PERIOD = Duration.ofMillis(10);
    private static final int MAX_PSK_KEY_BYTES = 64;

    private String endpoint;
    private URI server;
    private URI bootstrapServer;
    private String pskIdentity;
    private byte[] pskKey;
    private ClientCredentials.Rpk rpk;
    private ClientCredentials.X509 x509;
    private InetSocketAddress localAddress;
    private Duration driftPeriod;
    private Duration lifetime;
    private Duration queueAwake;
    private Duration queueSleep;
    private Duration retryInterval;
    private ScheduledExecutorService sharedExecutor;
    private boolean connectionIdSupport = true;
    private List<CipherSuite> cipherSuites;
    private Clock clock;
    private String firmwareVersion;
    private FirmwareSettings firmware;
    private Duration handshakeAfterSilence;

    ReferenceClientBuilder() {
    }

    /** The LwM2M endpoint client name. Required. */
    public ReferenceClientBuilder endpoint(String endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    /** Register directly to this DM server ({@code coaps://host[:port]}, default port 5684) as Short Server ID 123. */
    public ReferenceClientBuilder server(URI server) {
        this.server = server;
        return this;
    }

    /** Get the DM server account from this bootstrap server ({@code coaps://host[:port]}, default port 5784). */
    public ReferenceClientBuilder bootstrapServer(URI bootstrapServer) {
        this.bootstrapServer = bootstrapServer;
        return this;
    }

    /** PSK identity for the configured server. Default: the endpoint name. */
    public ReferenceClientBuilder pskIdentity(String pskIdentity) {
        this.pskIdentity = pskIdentity;
        return this;
    }

    /** Pre-shared key for the configured server, 1 to 64 bytes. Required. The builder keeps a copy. */
    public ReferenceClientBuilder pskKey(byte[] pskKey) {
        this.pskKey = pskKey == null ? null : pskKey.clone();
        return this;
    }

    /**
     * Authenticate with a raw public key: the device's EC key pair, and the server's public key, which the client
     * pins (the DM server's, or the bootstrap server's with {@link #bootstrapServer}).
     */
    public ReferenceClientBuilder rpk(PublicKey publicKey, PrivateKey privateKey, PublicKey serverPublicKey) {
        this.rpk = publicKey == null && privateKey == null && serverPublicKey == null ? null
                : new ClientCredentials.Rpk(publicKey, privateKey, serverPublicKey);
        return this;
    }

    /**
     * Authenticate with an X.509 certificate (CN = endpoint) and its private key. {@code serverOrCa} is what the client
     * trusts the server by: the CA certificate that issued the server's certificate, or the server's own certificate
     * (pinned). The server's certificate must name the host of the server URI.
     */
    public ReferenceClientBuilder x509(X509Certificate certificate, PrivateKey privateKey, X509Certificate serverOrCa) {
        this.x509 = certificate == null && privateKey == null && serverOrCa == null ? null
                : new ClientCredentials.X509(certificate, privateKey, serverOrCa);
        return this;
    }

    /** Local UDP address to bind. Default: any address, ephemeral port. */
    public ReferenceClientBuilder localAddress(InetSocketAddress localAddress) {
        this.localAddress = localAddress;
        return this;
    }

    /** How often simulated values drift. Default 5 s, at least 10 ms. */
    public ReferenceClientBuilder driftPeriod(Duration driftPeriod) {
        this.driftPeriod = driftPeriod;
        return this;
    }

    /** Registration lifetime when registering directly (a bootstrap server sets its own). Default 5 min. */
    public ReferenceClientBuilder lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    /** Wait after a failed bootstrap or registration before trying again. Default 30 s (Leshan's is 10 min). */
    public ReferenceClientBuilder retryInterval(Duration retryInterval) {
        this.retryInterval = retryInterval;
        return this;
    }

    /**
     * Run the client's CoAP, DTLS timer, registration and drift work on this pool instead of its own threads (one
     * DTLS receiver thread per client remains). For many clients in one JVM. Registration and update requests block
     * a pool thread until answered, so size the pool well above the number of clients that may register at once
     * (64 threads for batches of 25 starts worked) or registrations time out. The caller shuts the pool down.
     */
    public ReferenceClientBuilder sharedExecutor(ScheduledExecutorService sharedExecutor) {
        this.sharedExecutor = sharedExecutor;
        return this;
    }

    /**
     * Accept a DTLS Connection ID from the server, so the session survives NAT rebinding. Default on; the client
     * uses no CID for records it receives.
     */
    public ReferenceClientBuilder connectionIdSupport(boolean connectionIdSupport) {
        this.connectionIdSupport = connectionIdSupport;
        return this;
    }

    /** PSK cipher suites to offer, most preferred first. Default {@link ClientDtlsConfiguration#DEFAULT_CIPHER_SUITES}. */
    public ReferenceClientBuilder cipherSuites(List<CipherSuite> cipherSuites) {
        this.cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
        return this;
    }

    /**
     * Runs the client in LwM2M queue mode: it registers with the Q flag, stays awake {@code awake} after each
     * registration or update, then sleeps {@code sleep} (dropping every server request, sampling nothing) until its
     * next update. Default: not in queue mode.
     */
    public ReferenceClientBuilder queueMode(Duration awake, Duration sleep) {
        this.queueAwake = awake;
        this.queueSleep = sleep;
        return this;
    }

    /** The firmware version the device runs at start (/3/0/3). Default {@value DeviceInfo#FIRMWARE_VERSION}. */
    public ReferenceClientBuilder firmwareVersion(String firmwareVersion) {
        this.firmwareVersion = firmwareVersion;
        return this;
    }

    /**
     * How the Firmware Update object behaves: storage, delivery methods, block size, and a failure to simulate.
     * Default {@link FirmwareSettings#defaults()}.
     */
    public ReferenceClientBuilder firmware(FirmwareSettings firmware) {
        this.firmware = firmware;
        return this;
    }

    /**
     * Start a new DTLS handshake (a resumption) before sending, when nothing was sent or received for this long. This
     * is how a device finds its way back to a server that lost its DTLS state (a crash, a NAT that forgot the
     * mapping) without waiting for its next registration Update. Default off.
     */
    public ReferenceClientBuilder handshakeAfterSilence(Duration silence) {
        this.handshakeAfterSilence = silence;
        return this;
    }

    /** Clock of the device (Current Time, sensor timestamps, energy accounting). Default system UTC. */
    public ReferenceClientBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Validates the settings, fills defaults and builds a client that is not started yet.
     *
     * @throws IllegalArgumentException listing every missing, invalid or conflicting setting
     */
    public ReferenceClient build() {
        List<String> problems = new ArrayList<>();
        if (endpoint == null || endpoint.isBlank()) {
            problems.add("endpoint is required");
        } else if (!endpoint.equals(endpoint.strip()) || endpoint.chars().anyMatch(Character::isISOControl)) {
            problems.add("endpoint must not have surrounding spaces or control characters");
        }
        URI serverUri = null;
        if (server != null && bootstrapServer != null) {
            problems.add("set either server(...) or bootstrapServer(...), not both");
        } else if (server == null && bootstrapServer == null) {
            problems.add("a server(...) or a bootstrapServer(...) is required");
        } else {
            serverUri = server != null ? coapsUri(server, DEFAULT_SERVER_PORT, "server", problems)
                    : coapsUri(bootstrapServer, DEFAULT_BOOTSTRAP_PORT, "bootstrap server", problems);
        }
        ClientCredentials credentials = credentials(problems);
        InetSocketAddress local = localAddress != null ? localAddress : new InetSocketAddress(0);
        if (local.isUnresolved()) {
            problems.add("local address " + local.getHostString() + " cannot be resolved");
        }
        Duration drift = positive(driftPeriod, DEFAULT_DRIFT_PERIOD, "drift period", problems);
        if (drift.compareTo(MIN_DRIFT_PERIOD) < 0) {
            problems.add("drift period must be at least " + MIN_DRIFT_PERIOD.toMillis() + " ms");
        }
        Duration life = positive(lifetime, DEFAULT_LIFETIME, "lifetime", problems);
        if (queueAwake != null || queueSleep != null) {
            if (queueAwake == null || queueSleep == null || queueAwake.toMillis() < 100 || queueSleep.toMillis() < 100) {
                problems.add("queue mode needs an awake window and a sleep time of at least 100 ms each");
            } else if (queueAwake.plus(queueSleep).compareTo(life) >= 0) {
                problems.add("in queue mode, awake + sleep must be shorter than the lifetime (" + life + ")");
            }
        }
        if (life.toSeconds() < 1) {
            problems.add("lifetime must be at least 1 s");
        }
        Duration retry = positive(retryInterval, DEFAULT_RETRY_INTERVAL, "retry interval", problems);
        FirmwareSettings firmwareSettings = firmware != null ? firmware : FirmwareSettings.defaults();
        problems.addAll(firmwareSettings.problems());
        String version = firmwareVersion != null ? firmwareVersion : DeviceInfo.FIRMWARE_VERSION;
        if (version.isBlank() || version.length() > 64) {
            problems.add("firmware version must be 1 to 64 characters");
        }
        Configuration coapConfig = null;
        try {
            coapConfig = ClientDtlsConfiguration.create(
                    cipherSuites != null ? cipherSuites : ClientDtlsConfiguration.DEFAULT_CIPHER_SUITES,
                    connectionIdSupport);
            // A package pushed by a block-wise Write arrives whole: room for the largest one the device stores.
            coapConfig.set(CoapConfig.MAX_RESOURCE_BODY_SIZE,
                    (int) Math.max(CoapConfig.DEFAULT_MAX_RESOURCE_BODY_SIZE, firmwareSettings.storageBytes() + 64 * 1024));
            if (handshakeAfterSilence != null) {
                if (handshakeAfterSilence.isNegative() || handshakeAfterSilence.isZero()) {
                    problems.add("handshake-after-silence must be positive but was " + handshakeAfterSilence);
                } else {
                    coapConfig.set(DtlsConfig.DTLS_AUTO_HANDSHAKE_TIMEOUT, handshakeAfterSilence.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
            if (problems.isEmpty()) {
                ClientDtlsConfiguration.verify(coapConfig, local, credentials);
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid reference client settings"
                    + (endpoint == null ? "" : " for " + endpoint) + ": " + String.join("; ", problems));
        }
        return new ReferenceClient(new ClientSettings(endpoint, serverUri, bootstrapServer != null, credentials,
                local, drift, life, retry, sharedExecutor, coapConfig,
                clock != null ? clock : Clock.systemUTC(), queueAwake, queueSleep, version, firmwareSettings));
    }

    /** The one kind of credentials configured, or {@code null} after recording the problems. */
    private ClientCredentials credentials(List<String> problems) {
        boolean psk = pskKey != null || pskIdentity != null;
        int kinds = (psk ? 1 : 0) + (rpk != null ? 1 : 0) + (x509 != null ? 1 : 0);
        if (kinds > 1) {
            problems.add("give one kind of credentials: a PSK, an RPK key pair or an X.509 certificate, not several");
            return null;
        }
        if (rpk != null) {
            if (rpk.publicKey() == null || rpk.privateKey() == null || rpk.serverPublicKey() == null) {
                problems.add("RPK needs the device's public key, its private key and the server's public key");
                return null;
            }
            return rpk;
        }
        if (x509 != null) {
            if (x509.certificate() == null || x509.privateKey() == null || x509.serverOrCa() == null) {
                problems.add("X.509 needs the device's certificate, its private key and the server's certificate or CA");
                return null;
            }
            return x509;
        }
        String identity = pskIdentity != null ? pskIdentity : endpoint;
        if (identity == null || identity.isEmpty()) {
            problems.add("PSK identity must not be empty");
        }
        if (pskKey == null || pskKey.length == 0 || pskKey.length > MAX_PSK_KEY_BYTES) {
            problems.add("credentials are required: a PSK key (1 to " + MAX_PSK_KEY_BYTES
                    + " bytes), an RPK key pair or an X.509 certificate");
            return null;
        }
        return identity == null || identity.isEmpty() ? null : new ClientCredentials.Psk(identity, pskKey);
    }

    /** {@code coaps://host:port} with the default port filled in, or {@code null} after recording a problem. */
    private static URI coapsUri(URI uri, int defaultPort, String what, List<String> problems) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("coaps")) {
            problems.add(what + " URI " + uri + " must start with coaps:// (the client always uses DTLS)");
            return null;
        }
        if (uri.getHost() == null) {
            problems.add(what + " URI " + uri + " has no host; expected coaps://host:port");
            return null;
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
            problems.add(what + " URI " + uri + " must not have a path or query; expected coaps://host:port");
            return null;
        }
        try {
            return new URI("coaps", null, uri.getHost(), uri.getPort() == -1 ? defaultPort : uri.getPort(), null,
                    null, null);
        } catch (URISyntaxException e) {
            problems.add(what + " URI " + uri + " is invalid: " + e.getMessage());
            return null;
        }
    }

    private static Duration positive(Duration value, Duration defaultValue, String what, List<String> problems) {
        if (value == null) {
            return defaultValue;
        }
        if (value.isNegative() || value.isZero()) {
            problems.add(what + " must be positive but was " + value);
            return defaultValue;
        }
        return value;
    }
}
