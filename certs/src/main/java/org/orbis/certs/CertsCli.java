package org.orbis.certs;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orbis-certs}: creates a CA, server and device certificates and raw public key pairs as files. Every private
 * key is written as PKCS#8 (PEM {@code NAME.key.pem} and DER {@code NAME.key.der}); certificates as PEM
 * ({@code NAME.pem}, the chain for servers) and DER ({@code NAME.der}); public keys as SubjectPublicKeyInfo PEM and DER
 * ({@code NAME.pub.pem}, {@code NAME.pub.der}). The DER files are what the reference client and most device SDKs load.
 */
@Command(name = "orbis-certs", mixinStandardHelpOptions = true, version = "orbis-certs 0.1.0",
        description = "Creates DTLS certificates and keys for Orbis: a CA, server certificates, device certificates "
                + "(CN = endpoint) and raw public key pairs, EC P-256 / ECDSA-SHA256.%n",
        subcommands = {CertsCli.Ca.class, CertsCli.Server.class, CertsCli.Device.class, CertsCli.Rpk.class,
                CertsCli.Dev.class},
        footer = {"%nExamples:",
                "  orbis-certs ca --name 'Acme Devices CA' --organisation Acme --out pki",
                "  orbis-certs server --ca pki/ca.pem --ca-key pki/ca.key.pem --name dm-server --dns dm.acme.example --ip 203.0.113.7 --out pki",
                "  orbis-certs device --ca pki/ca.pem --ca-key pki/ca.key.pem --endpoint sensor-42 --out pki",
                "  orbis-certs rpk --name sensor-43 --out pki",
                "  orbis-certs dev --out certs/dev      (regenerates the checked-in DEVELOPMENT ONLY material)"})
public final class CertsCli {

    @Option(names = "--out", defaultValue = ".", scope = CommandLine.ScopeType.INHERIT,
            description = "Directory to write into (default: ${DEFAULT-VALUE}).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CertsCli()).execute(args));
    }

    static int run(String... args) {
        return new CommandLine(new CertsCli()).execute(args);
    }

    @Command(name = "ca", mixinStandardHelpOptions = true, description = "Creates a self-signed root CA: ca.pem, ca.key.pem.")
    static final class Ca implements Callable<Integer> {
        @ParentCommand CertsCli parent;
        @Option(names = "--name", defaultValue = "Orbis Device CA", description = "CA common name (default: ${DEFAULT-VALUE}).")
        String name;
        @Option(names = "--organisation", description = "Organisation in the subject.")
        String organisation;
        @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;
        @Option(names = "--file-name", defaultValue = "ca", description = "Base file name (default: ${DEFAULT-VALUE}).")
        String fileName;

        @Override
        public Integer call() {
            CertificateAuthority ca = CertificateAuthority.createRoot(name, organisation, Duration.ofDays(days));
            writeCa(parent.out, fileName, ca);
            return 0;
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Issues a server certificate with DNS and IP subject alternative names: NAME.pem (leaf + CA), "
                    + "NAME.key.pem/.der, NAME.pub.pem/.der (for RPK clients).")
    static final class Server implements Callable<Integer> {
        @ParentCommand CertsCli parent;
        @Option(names = "--ca", required = true, description = "CA certificate (PEM).") Path caCert;
        @Option(names = "--ca-key", required = true, description = "CA private key (PKCS#8 PEM or DER).") Path caKey;
        @Option(names = "--name", required = true, description = "Common name and base file name, e.g. dm-server.") String name;
        @Option(names = "--dns", split = ",", description = "DNS names (repeatable or comma-separated).") List<String> dns = new ArrayList<>();
        @Option(names = "--ip", split = ",", description = "IP addresses (repeatable or comma-separated).") List<String> ips = new ArrayList<>();
        @Option(names = "--days", defaultValue = "825", description = "Validity in days (default: ${DEFAULT-VALUE}).") int days;

        @Override
        public Integer call() {
            if (dns.isEmpty() && ips.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "give at least one --dns or --ip: DTLS clients check the server's name against them");
            }
            CertificateAuthority ca = new CertificateAuthority(Pem.readCertificate(caCert), Pem.readPrivateKey(caKey));
            writeServer(parent.out, name, ca, dns, ips, Duration.ofDays(days));
            return 0;
        }
    }

    @Command(name = "device", mixinStandardHelpOptions = true,
            description = "Issues a device certificate with CN = endpoint: ENDPOINT.pem/.der, ENDPOINT.key.pem/.der.")
    static final class Device implements Callable<Integer> {
        @ParentCommand CertsCli parent;
        @Option(names = "--ca", required = true, description = "CA certificate (PEM).") Path caCert;
        @Option(names = "--ca-key", required = true, description = "CA private key (PKCS#8 PEM or DER).") Path caKey;
        @Option(names = "--endpoint", required = true, description = "LwM2M endpoint name; becomes the certificate's CN.") String endpoint;
        @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default: ${DEFAULT-VALUE}).") int days;

        @Override
        public Integer call() {
            CertificateAuthority ca = new CertificateAuthority(Pem.readCertificate(caCert), Pem.readPrivateKey(caKey));
            writeDevice(parent.out, endpoint, ca, Duration.ofDays(days));
            return 0;
        }
    }

    @Command(name = "rpk", mixinStandardHelpOptions = true,
            description = "Creates a raw public key pair: NAME.pub.pem/.der and NAME.key.pem/.der.")
    static final class Rpk implements Callable<Integer> {
        @ParentCommand CertsCli parent;
        @Option(names = "--name", required = true, description = "Base file name, e.g. the endpoint.") String name;

        @Override
        public Integer call() {
            writeKeyPair(parent.out, name, KeyPairs.ecP256());
            return 0;
        }
    }

    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "Regenerates the whole DEVELOPMENT ONLY set (CA, dm-server, bootstrap-server, a demo device, "
                    + "a demo RPK) and its README.")
    static final class Dev implements Callable<Integer> {
        @ParentCommand CertsCli parent;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority ca = CertificateAuthority.createRoot("Orbis Development CA",
                    "Orbis " + CertificateAuthority.DEVELOPMENT_ONLY, Duration.ofDays(20 * 365));
            writeCa(parent.out, DevelopmentMaterial.CA, ca);
            for (String server : List.of(DevelopmentMaterial.DM_SERVER, DevelopmentMaterial.BOOTSTRAP_SERVER)) {
                writeServer(parent.out, server, ca, DevelopmentMaterial.DNS_NAMES, DevelopmentMaterial.IP_ADDRESSES,
                        Duration.ofDays(20 * 365));
            }
            writeDevice(parent.out, DevelopmentMaterial.DEMO_DEVICE, ca, Duration.ofDays(20 * 365));
            writeKeyPair(parent.out, DevelopmentMaterial.DEMO_RPK, KeyPairs.ecP256());
            try (var readme = CertsCli.class.getResourceAsStream("/org/orbis/certs/dev-README.md")) {
                Files.write(parent.out.resolve("README.md"), readme.readAllBytes());
            }
            return 0;
        }
    }

    private static void writeCa(Path dir, String name, CertificateAuthority ca) {
        Pem.write(dir.resolve(name + ".pem"), Pem.certificate(ca.certificate()));
        Pem.write(dir.resolve(name + ".der"), encoded(ca.certificate()));
        writePrivateKey(dir, name, ca.privateKey());
        say("CA " + ca.certificate().getSubjectX500Principal().getName() + " -> " + dir.resolve(name + ".pem"));
    }

    private static void writeServer(Path dir, String name, CertificateAuthority ca, List<String> dns, List<String> ips,
            Duration validity) {
        KeyPair keys = KeyPairs.ecP256();
        Instant now = Instant.now();
        X509Certificate certificate = ca.issueServer(name, dns, ips, keys.getPublic(), now.minus(Duration.ofHours(1)),
                now.plus(validity));
        Pem.write(dir.resolve(name + ".pem"), Pem.certificates(List.of(certificate, ca.certificate())));
        Pem.write(dir.resolve(name + ".der"), encoded(certificate));
        writeKeyPair(dir, name, keys);
        say("server certificate " + name + " (DNS " + dns + ", IP " + ips + ") -> " + dir.resolve(name + ".pem"));
    }

    private static void writeDevice(Path dir, String endpoint, CertificateAuthority ca, Duration validity) {
        KeyPair keys = KeyPairs.ecP256();
        X509Certificate certificate = ca.issueDevice(endpoint, keys.getPublic(), validity);
        Pem.write(dir.resolve(endpoint + ".pem"), Pem.certificates(List.of(certificate, ca.certificate())));
        Pem.write(dir.resolve(endpoint + ".der"), encoded(certificate));
        writePrivateKey(dir, endpoint, keys.getPrivate());
        say("device certificate CN=" + endpoint + " -> " + dir.resolve(endpoint + ".pem"));
    }

    private static void writeKeyPair(Path dir, String name, KeyPair keys) {
        Pem.write(dir.resolve(name + ".pub.pem"), Pem.publicKey(keys.getPublic()));
        Pem.write(dir.resolve(name + ".pub.der"), keys.getPublic().getEncoded());
        writePrivateKey(dir, name, keys.getPrivate());
    }

    private static void writePrivateKey(Path dir, String name, java.security.PrivateKey key) {
        Pem.write(dir.resolve(name + ".key.pem"), Pem.privateKey(key));
        Pem.write(dir.resolve(name + ".key.der"), key.getEncoded());
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void say(String line) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        out.println(line);
    }
}
