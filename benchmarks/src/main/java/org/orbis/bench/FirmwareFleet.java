package org.orbis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.leshan.client.californium.LeshanClientBuilder;
import org.orbis.client.ReferenceClient;
import org.orbis.client.firmware.FirmwareSettings;
import org.orbis.client.firmware.FirmwareStatus;
import org.orbis.client.firmware.PackageDownload;

/**
 * The device side of {@link FirmwareBenchmark}, in its own JVM so that the server's CPU time can be measured alone:
 * reference clients registered directly to the DM server, and on request the baseline, the same block-wise download
 * of a package by the same downloader code from a bare Californium server. Talks to the benchmark over stdin/stdout,
 * one line per command and answer.
 */
public final class FirmwareFleet {

    private FirmwareFleet() {
    }

    /** {@code FirmwareFleet <dm server uri> <devices file: endpoint psk-hex per line>} */
    public static void main(String[] args) throws Exception {
        FirmwareBenchmark.quietLogs();
        URI server = URI.create(args[0]);
        List<String[]> devices = Files.readAllLines(Path.of(args[1])).stream().map(line -> line.split(" ")).toList();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(64);
        List<ReferenceClient> clients = new ArrayList<>();
        for (String[] device : devices) {
            ReferenceClient client = ReferenceClient.builder().endpoint(device[0]).server(server)
                    .pskKey(HexFormat.of().parseHex(device[1])).sharedExecutor(pool)
                    .driftPeriod(Duration.ofMinutes(5)).lifetime(Duration.ofMinutes(30))
                    .localAddress(new java.net.InetSocketAddress("127.0.0.1", 0)).build();
            clients.add(client);
            client.start();
            if (clients.size() % 25 == 0) {
                for (ReferenceClient started : clients.subList(clients.size() - 25, clients.size())) {
                    started.awaitRegistered(Duration.ofSeconds(60));
                }
            }
        }
        for (ReferenceClient client : clients) {
            if (!client.awaitRegistered(Duration.ofSeconds(60))) {
                throw new IllegalStateException(client.endpoint() + " did not register");
            }
        }
        System.out.println("READY " + clients.size());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "BASELINE" -> System.out.println("BASELINE_DONE " + baseline(devices, URI.create(words[1]),
                        Integer.parseInt(words[2]), pool));
                case "VERSIONS" -> System.out.println("VERSIONS " + clients.stream()
                        .filter(client -> client.firmwareVersion().equals(words[1])).count());
                case "EXIT" -> {
                    clients.forEach(client -> client.destroy(false));
                    pool.shutdownNow();
                    System.out.println("BYE");
                    System.exit(0);
                }
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
    }

    /** Every device downloads {@code uri} once, at most {@code concurrency} at a time; returns bytes received. */
    private static long baseline(List<String[]> devices, URI uri, int concurrency, ScheduledExecutorService pool)
            throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong bytes = new AtomicLong();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        FirmwareSettings settings = FirmwareSettings.defaults();
        Configuration coap = LeshanClientBuilder.createDefaultCoapConfiguration();
        for (String[] device : devices) {
            slots.acquire();
            CompletableFuture<Void> finished = new CompletableFuture<>();
            finished.whenComplete((ignored, error) -> slots.release());
            done.add(finished);
            Configuration dtls = new Configuration(coap);
            dtls.setAsList(DtlsConfig.DTLS_PRESELECTED_CIPHER_SUITES, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
            DtlsConnectorConfig session = DtlsConnectorConfig.builder(dtls)
                    .setAdvancedPskStore(new AdvancedSinglePskStore(device[0], HexFormat.of().parseHex(device[1])))
                    .build();
            PackageDownload.start(device[0], uri, 0, null, new PackageDownload.Sink() {
                @Override
                public boolean accept(long offset, byte[] data, long total, byte[] etag, boolean last) {
                    bytes.addAndGet(data.length);
                    return true;
                }

                @Override
                public void completed() {
                    finished.complete(null);
                }

                @Override
                public void failed(PackageDownload.Failure failure, String detail) {
                    finished.completeExceptionally(new IllegalStateException(device[0] + ": " + detail));
                }
            }, pool, settings, coap, InetAddress.getLoopbackAddress(), () -> session);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return bytes.get();
    }

    static String describe(FirmwareStatus status) {
        return FirmwareStatus.stateName(status.state()) + "/" + status.updateResult();
    }
}
