package org.orbis.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.certs.DevelopmentMaterial;
import org.orbis.certs.KeyPairs;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.PlatformSettings;
import org.orbis.console.platform.SecuritySettings;
import org.orbis.world.store.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Full DTLS handshakes per second that the Orbis DM server sustains for each credential mode, over loopback: plain PSK
 * (the baseline, what constrained devices use), ECDHE-PSK, RPK (ECDHE-ECDSA) and X.509 (ECDHE-ECDSA with a chain to
 * the development CA). The server is the real DM server of a platform on an embedded H2 database, so a PSK handshake
 * includes the database lookup of the identity. Clients are Scandium connectors that forget their session before each
 * handshake, so every handshake is a full one.
 */
@Command(name = "handshakes", mixinStandardHelpOptions = true,
        description = "Full DTLS handshakes/s of the DM server for PSK, ECDHE-PSK, RPK and X.509, as a ratio to plain PSK.")
public final class HandshakeBenchmark implements Callable<Integer> {

    @Option(names = "--handshakes", defaultValue = "400", description = "Measured handshakes per mode (default ${DEFAULT-VALUE}).")
    int handshakes;

    @Option(names = "--warmup", defaultValue = "100", description = "Warm-up handshakes per mode (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--concurrency", defaultValue = "8", description = "Clients handshaking at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--out", description = "Also write the figures as JSON to this file.")
    Path out;

    private InetSocketAddress server;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandshakeBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = Files.createTempDirectory("orbis-bench-handshakes");
        try (OrbisPlatform platform = new OrbisPlatform(PlatformSettings.forTests(DatabaseSettings.embeddedH2(dataDir)),
                SecuritySettings.forTests()).start()) {
            server = new InetSocketAddress("127.0.0.1", platform.dmServer().securedAddress().getPort());
            for (int i = 0; i < concurrency; i++) {
                platform.provisioning().provision(new ProvisioningRequest("bench-" + i, null, null, "bench-" + i,
                        psk(i)));
            }
            KeyPair rpk = KeyPairs.ecP256();
            var device = DevelopmentMaterial.demoDevice();
            Map<String, Function<Integer, DtlsConnectorConfig.Builder>> modes = new LinkedHashMap<>();
            modes.put("PSK (TLS_PSK_WITH_AES_128_CCM_8)", i -> pskClient(i, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
            modes.put("ECDHE-PSK (TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256)",
                    i -> pskClient(i, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256));
            modes.put("RPK (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)", i -> certificateClient(
                    new SingleCertificateProvider(rpk.getPrivate(), rpk.getPublic())));
            modes.put("X.509 (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)", i -> certificateClient(
                    new SingleCertificateProvider(device.privateKey(), device.chainArray(), CertificateType.X_509)));

            System.out.printf(Locale.ROOT, "Full DTLS handshakes against the Orbis DM server on %s, %d clients at once, "
                    + "%d measured per mode after %d warm-up%n%n", server, concurrency, handshakes, warmup);
            System.out.printf(Locale.ROOT, "%-50s %10s %10s %12s %10s%n", "mode", "handshakes", "seconds", "per second",
                    "vs PSK");
            Map<String, Double> rates = new LinkedHashMap<>();
            double baseline = 0;
            for (Map.Entry<String, Function<Integer, DtlsConnectorConfig.Builder>> mode : modes.entrySet()) {
                run(mode.getValue(), warmup);
                long started = System.nanoTime();
                int done = run(mode.getValue(), handshakes);
                double seconds = (System.nanoTime() - started) / 1e9;
                double rate = done / seconds;
                if (baseline == 0) {
                    baseline = rate;
                }
                rates.put(mode.getKey(), rate);
                System.out.printf(Locale.ROOT, "%-50s %10d %10.2f %12.1f %10.2f%n", mode.getKey(), done, seconds, rate,
                        rate / baseline);
            }
            long failed = platform.dmServer().dtlsStats().handshakesFailed();
            System.out.printf(Locale.ROOT, "%nserver: %d handshakes succeeded, %d failed%n",
                    platform.dmServer().dtlsStats().handshakesSucceeded(), failed);
            if (out != null) {
                StringBuilder json = new StringBuilder("{\"measured_at\":\"").append(Instant.now()).append('"');
                for (Map.Entry<String, Double> rate : rates.entrySet()) {
                    String key = rate.getKey().substring(0, rate.getKey().indexOf(' ')).toLowerCase(Locale.ROOT)
                            .replace('.', '_').replace('-', '_');
                    json.append(String.format(Locale.ROOT, ",\"%s_handshakes_per_s\":%.1f,\"%s_ratio_vs_psk\":%.3f",
                            key, rate.getValue(), key, rate.getValue() / baseline));
                }
                Files.writeString(out, json.append("}\n").toString());
            }
            return failed == 0 ? 0 : 1;
        }
    }

    /** Runs {@code total} full handshakes spread over the concurrent clients; returns how many succeeded. */
    private int run(Function<Integer, DtlsConnectorConfig.Builder> mode, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<DTLSConnector> connectors = new ArrayList<>();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                DTLSConnector connector = new DTLSConnector(mode.apply(i).build());
                connector.setRawDataReceiver(raw -> { });
                connector.start();
                connectors.add(connector);
                int share = total / concurrency + (i < total % concurrency ? 1 : 0);
                results.add(pool.submit(() -> handshake(connector, share)));
            }
            int done = 0;
            for (Future<Integer> result : results) {
                done += result.get(10, TimeUnit.MINUTES);
            }
            return done;
        } finally {
            pool.shutdownNow();
            connectors.forEach(DTLSConnector::destroy);
        }
    }

    private int handshake(DTLSConnector connector, int count) throws Exception {
        int done = 0;
        byte[] coapPing = {0x40, 0x00, 0x12, 0x34};
        for (int i = 0; i < count; i++) {
            connector.clearConnectionState();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            connector.send(RawData.outbound(coapPing, new AddressEndpointContext(server), new Callback(sent), false));
            sent.get(30, TimeUnit.SECONDS);
            done++;
        }
        return done;
    }

    private static Configuration clientConfiguration() {
        Configuration configuration = new Configuration(DtlsConfig.DEFINITIONS,
                org.eclipse.californium.elements.config.UdpConfig.DEFINITIONS,
                org.eclipse.californium.elements.config.SystemConfig.DEFINITIONS);
        configuration.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        configuration.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        configuration.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        configuration.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 16);
        return configuration;
    }

    private DtlsConnectorConfig.Builder pskClient(int index, CipherSuite suite) {
        Configuration configuration = clientConfiguration();
        configuration.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, suite);
        return DtlsConnectorConfig.builder(configuration).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore("bench-" + index, psk(index)));
    }

    private DtlsConnectorConfig.Builder certificateClient(SingleCertificateProvider identity) {
        Configuration configuration = clientConfiguration();
        configuration.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        configuration.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        return DtlsConnectorConfig.builder(configuration).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(identity)
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(DevelopmentMaterial.ca().certificate()).setTrustAllRPKs().build());
    }

    private static byte[] psk(int index) {
        byte[] key = new byte[16];
        key[0] = (byte) index;
        key[15] = 0x42;
        return key;
    }

    /** Completes when the datagram left, which is after the handshake finished. */
    private record Callback(CompletableFuture<Void> sent) implements MessageCallback {
        @Override
        public void onConnecting() {
        }

        @Override
        public void onDtlsRetransmission(int flight) {
        }

        @Override
        public void onContextEstablished(EndpointContext context) {
        }

        @Override
        public void onSent() {
            sent.complete(null);
        }

        @Override
        public void onError(Throwable error) {
            sent.completeExceptionally(error);
        }
    }

}
