package org.orbis.console;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.orbis.console.access.FirstAdmin;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.PlatformSettings;
import org.orbis.console.platform.SecuritySettings;
import org.orbis.certs.CertificateAuthority;
import org.orbis.certs.DevelopmentMaterial;
import org.orbis.certs.Pem;
import org.orbis.certs.ServerCredentials;
import org.orbis.certs.X509Identity;
import org.orbis.world.credentials.MasterKey;
import org.orbis.server.observe.ObservePolicy;
import org.orbis.world.history.Retention;
import org.orbis.world.store.DatabaseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar orbis.jar}: the whole platform in one process. Every option can also come from an environment
 * variable ({@code ORBIS_HTTP_PORT}, …); flags win.
 */
@Command(name = "orbis", mixinStandardHelpOptions = true, version = "Orbis 0.1.0", subcommands = AdminCommand.class,
        description = "Runs the Orbis LwM2M platform: world model, bootstrap server, DM server and the web console.",
        footer = {"", "Examples:", "  java -jar orbis.jar --demo 25",
                "  java -jar orbis.jar admin create --user alice      (the first admin; password from stdin or ORBIS_ADMIN_PASSWORD)",
                "  java -jar orbis.jar --db jdbc:postgresql://localhost:5432/orbis --db-user orbis",
                "  java -jar orbis.jar --production --dm-cert dm.pem --dm-key dm.key.pem --bootstrap-cert bs.pem \\",
                "      --bootstrap-key bs.key.pem --trust-ca device-ca.pem --master-key-file /etc/orbis/master.key",
                "Environment: ORBIS_DB_PASSWORD holds the database password and ORBIS_MASTER_KEY the master key "
                        + "(never pass either on the command line)."})
public final class OrbisLauncher implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(OrbisLauncher.class);

    @Option(names = "--data-dir", defaultValue = "${env:ORBIS_DATA_DIR:-data}",
            description = "Directory of the embedded H2 database (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db", defaultValue = "${env:ORBIS_DB}",
            description = "JDBC URL of an external database, e.g. jdbc:postgresql://host:5432/orbis (default: embedded H2 in --data-dir).")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:ORBIS_DB_USER:-orbis}", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--http-port", defaultValue = "${env:ORBIS_HTTP_PORT:-8080}", description = "Console and API port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-host", defaultValue = "${env:ORBIS_HTTP_HOST:-127.0.0.1}",
            description = "Address the console binds to (default: ${DEFAULT-VALUE}; serve it to other machines behind an HTTPS proxy).")
    String httpHost;

    @Option(names = "--coaps-port", defaultValue = "${env:ORBIS_COAPS_PORT:-5684}", description = "DM server DTLS port (default: ${DEFAULT-VALUE}).")
    int coapsPort;

    @Option(names = "--coap-port", defaultValue = "${env:ORBIS_COAP_PORT}",
            description = "Enables NoSec CoAP on this port for the DM server (off by default: devices must use DTLS).")
    Integer coapPort;

    @Option(names = "--bootstrap-port", defaultValue = "${env:ORBIS_BOOTSTRAP_PORT:-5784}", description = "Bootstrap server DTLS port (default: ${DEFAULT-VALUE}).")
    int bootstrapPort;

    @Option(names = "--bootstrap-coap-port", defaultValue = "${env:ORBIS_BOOTSTRAP_COAP_PORT}",
            description = "Enables NoSec CoAP on this port for the bootstrap server (off by default).")
    Integer bootstrapCoapPort;

    @Option(names = "--bind", defaultValue = "${env:ORBIS_BIND:-0.0.0.0}", description = "Address the CoAP servers bind to (default: ${DEFAULT-VALUE}).")
    String bindHost;

    @Option(names = "--public-host", defaultValue = "${env:ORBIS_PUBLIC_HOST:-127.0.0.1}",
            description = "Host name devices use to reach this machine; bootstrap writes it into devices (default: ${DEFAULT-VALUE}).")
    String publicHost;

    @Option(names = "--observe", defaultValue = "${env:ORBIS_OBSERVE:-" + ObservePolicy.DEFAULT + "}",
            description = "Objects observed on every device at registration, ids and ranges (default: ${DEFAULT-VALUE}).")
    String observe;

    @Option(names = "--awake-time", defaultValue = "${env:ORBIS_AWAKE_TIME:-10}", paramLabel = "SECONDS",
            description = "How long a queue-mode device counts as awake after each message it sends; nothing is sent to it outside that window (default: ${DEFAULT-VALUE} s).")
    long awakeSeconds;

    @Option(names = "--firmware-max-mib", defaultValue = "${env:ORBIS_FIRMWARE_MAX_MIB:-64}", paramLabel = "MIB",
            description = "Largest firmware package an upload may carry, in MiB (default: ${DEFAULT-VALUE}).")
    int firmwareMaxMib;

    @Option(names = "--demo", defaultValue = "0", paramLabel = "N",
            description = "Also provision and run N reference clients in this process, bootstrapping over DTLS like real devices.")
    int demo;

    @Option(names = "--production", defaultValue = "${env:ORBIS_PRODUCTION:-false}",
            description = "Refuse the checked-in development certificates, --demo, and running without a master key.")
    boolean production;

    @Option(names = "--master-key-file", defaultValue = "${env:ORBIS_MASTER_KEY_FILE}", paramLabel = "FILE",
            description = "File holding the base64 AES-256 master key that seals device secrets (or env ORBIS_MASTER_KEY). "
                    + "Default outside production: generated once into <data-dir>/master.key.")
    Path masterKeyFile;

    @Option(names = "--dm-cert", paramLabel = "PEM", description = "DM server certificate chain (default: certs/dev, DEVELOPMENT ONLY).")
    Path dmCert;

    @Option(names = "--dm-key", paramLabel = "PEM", description = "DM server private key, PKCS#8.")
    Path dmKey;

    @Option(names = "--bootstrap-cert", paramLabel = "PEM", description = "Bootstrap server certificate chain (default: certs/dev, DEVELOPMENT ONLY).")
    Path bootstrapCert;

    @Option(names = "--bootstrap-key", paramLabel = "PEM", description = "Bootstrap server private key, PKCS#8.")
    Path bootstrapKey;

    @Option(names = "--trust-ca", paramLabel = "PEM", description = "CA certificate(s) whose device certificates both servers accept (repeatable).")
    List<Path> trustCa = new ArrayList<>();

    @Option(names = "--device-ca-cert", paramLabel = "PEM", description = "CA that issues device certificates on provisioning (with --device-ca-key).")
    Path deviceCaCert;

    @Option(names = "--device-ca-key", paramLabel = "PEM", description = "Private key of --device-ca-cert, PKCS#8.")
    Path deviceCaKey;

    @Option(names = "--history-retention", defaultValue = "${env:ORBIS_HISTORY_RETENTION:-30d}", paramLabel = "DURATION",
            description = "How long resource values stay in the history, e.g. 30d, 12h (default: ${DEFAULT-VALUE}).")
    String historyRetention;

    @Option(names = "--feed-retention", defaultValue = "${env:ORBIS_FEED_RETENTION:-7d}", paramLabel = "DURATION",
            description = "How long changes stay in the change feed; a reader that resumes from further back must resync (default: ${DEFAULT-VALUE}).")
    String feedRetention;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OrbisLauncher()).execute(args));
    }

    /** Server certificates, trust anchors, the issuing CA and the master key, from flags or development defaults. */
    SecuritySettings security() {
        List<X509Certificate> anchors = new ArrayList<>();
        trustCa.forEach(file -> anchors.addAll(Pem.readCertificates(file)));
        if (anchors.isEmpty()) {
            anchors.add(DevelopmentMaterial.ca().certificate());
        }
        ServerCredentials dm = new ServerCredentials(identity(dmCert, dmKey, "--dm", DevelopmentMaterial.dmServer()), anchors);
        ServerCredentials bootstrap = new ServerCredentials(identity(bootstrapCert, bootstrapKey, "--bootstrap",
                DevelopmentMaterial.bootstrapServer()), anchors);
        CertificateAuthority issuer;
        if (deviceCaCert != null || deviceCaKey != null) {
            if (deviceCaCert == null || deviceCaKey == null) {
                throw new IllegalArgumentException("give both --device-ca-cert and --device-ca-key, or neither");
            }
            issuer = new CertificateAuthority(Pem.readCertificate(deviceCaCert), Pem.readPrivateKey(deviceCaKey));
        } else {
            issuer = production ? null : DevelopmentMaterial.ca();
        }
        String keyText = System.getenv("ORBIS_MASTER_KEY");
        MasterKey masterKey;
        if (keyText != null && !keyText.isBlank()) {
            masterKey = MasterKey.fromBase64(keyText);
        } else if (masterKeyFile != null) {
            masterKey = MasterKey.read(masterKeyFile);
        } else {
            masterKey = production ? null
                    : MasterKey.readOrCreate(dataDir.resolve(SecuritySettings.DEV_MASTER_KEY_FILE));
        }
        return new SecuritySettings(production, dm, bootstrap, issuer, masterKey);
    }

    private static X509Identity identity(Path cert, Path key, String flag, X509Identity development) {
        if (cert == null && key == null) {
            return development;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("give both " + flag + "-cert and " + flag + "-key, or neither");
        }
        return new X509Identity(Pem.readPrivateKey(key), Pem.readCertificates(cert));
    }

    /** The database the flags name: embedded H2 in --data-dir, or --db with ORBIS_DB_PASSWORD. */
    DatabaseSettings databaseSettings() {
        return dbUrl == null || dbUrl.isBlank() ? DatabaseSettings.embeddedH2(dataDir)
                : DatabaseSettings.of(dbUrl, dbUser, System.getenv("ORBIS_DB_PASSWORD"));
    }

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        DatabaseSettings database = databaseSettings();
        PlatformSettings settings;
        try {
            settings = new PlatformSettings(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort,
                    bootstrapCoapPort, httpHost, httpPort, ObservePolicy.parse(observe), demo, Duration.ofSeconds(awakeSeconds),
                    new Retention(duration("--history-retention", historyRetention),
                            duration("--feed-retention", feedRetention), Retention.DEFAULT_INTERVAL));
            if (firmwareMaxMib < 1 || firmwareMaxMib > 1024) {
                throw new IllegalArgumentException("--firmware-max-mib must be between 1 and 1024, was " + firmwareMaxMib);
            }
            settings = settings.withFirmware(org.orbis.server.firmware.FirmwareSettings.defaults()
                    .withMaxPackageBytes(firmwareMaxMib * 1024L * 1024));
        } catch (IllegalArgumentException e) {
            System.err.println("orbis: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        SecuritySettings security;
        try {
            security = security();
        } catch (RuntimeException e) {
            System.err.println("orbis: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        OrbisPlatform platform = new OrbisPlatform(settings, security);
        try {
            platform.start();
        } catch (RuntimeException e) {
            LOG.error("Orbis could not start: {}", e.getMessage());
            LOG.debug("start-up failure", e);
            return 1;
        }
        try {
            FirstAdmin.fromEnvironment(platform.access(), platform.passwords(), System.getenv("ORBIS_ADMIN_USER"),
                    System.getenv(AdminCommand.PASSWORD_ENV));
        } catch (IllegalArgumentException e) {
            LOG.error("ORBIS_ADMIN_USER: {}", e.getMessage());
            platform.close();
            return CommandLine.ExitCode.USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping Orbis");
            platform.close();
            stopped.countDown();
        }, "orbis-shutdown"));
        LOG.info("Orbis ready in {} ms: console http://{}:{}/  DM {}  bootstrap {}",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), httpHost, platform.http().port(),
                platform.dmServerUri(), platform.bootstrapServerUri());
        stopped.await();
        return 0;
    }

    /** {@code 30d}, {@code 12h}, {@code 90m} or an ISO-8601 duration such as {@code P30D}. */
    static Duration duration(String option, String text) {
        String value = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (value.matches("\\d+[dhm]")) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                return switch (value.charAt(value.length() - 1)) {
                    case 'd' -> Duration.ofDays(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofMinutes(amount);
                };
            }
            return Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be a duration such as 30d, 12h or 90m, not '" + text + "'");
        }
    }
}
