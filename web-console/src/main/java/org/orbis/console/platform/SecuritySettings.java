package org.orbis.console.platform;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.orbis.certs.CertificateAuthority;
import org.orbis.certs.DevelopmentMaterial;
import org.orbis.certs.ServerCredentials;
import org.orbis.world.credentials.MasterKey;
import org.orbis.world.credentials.SecretSealer;

/**
 * The platform's DTLS and secret-keeping material: each server's certificate and key (which also serve RPK devices)
 * with the CAs whose device certificates they trust, the CA that issues device certificates on provisioning (optional),
 * and the master key that seals device secrets in the database.
 *
 * @param production refuse development material and insist on a master key
 * @param deviceIssuer {@code null} when operators must bring device certificates
 * @param masterKey {@code null} keeps secrets unsealed (embedding and tests only; refused in production)
 */
public record SecuritySettings(boolean production, ServerCredentials dmServer, ServerCredentials bootstrapServer,
        CertificateAuthority deviceIssuer, MasterKey masterKey) {

    /** Name of the generated development master key file in the data directory. */
    public static final String DEV_MASTER_KEY_FILE = "master.key";

    public SecuritySettings {
        Objects.requireNonNull(dmServer, "dmServer");
        Objects.requireNonNull(bootstrapServer, "bootstrapServer");
    }

    /**
     * The quick start: the checked-in DEVELOPMENT ONLY certificates, the development CA issuing device certificates,
     * and a master key generated once into {@code dataDir/master.key}.
     */
    public static SecuritySettings development(Path dataDir) {
        return new SecuritySettings(false, ServerCredentials.developmentDmServer(),
                ServerCredentials.developmentBootstrapServer(), DevelopmentMaterial.ca(),
                MasterKey.readOrCreate(dataDir.resolve(DEV_MASTER_KEY_FILE)));
    }

    /** Development material with a master key that lives only in memory: one per test fixture. */
    public static SecuritySettings forTests() {
        return new SecuritySettings(false, ServerCredentials.developmentDmServer(),
                ServerCredentials.developmentBootstrapServer(), DevelopmentMaterial.ca(), MasterKey.generate());
    }

    /** Development material without a master key: secrets stay unsealed (for embedding the platform in tools). */
    public static SecuritySettings unsealedDevelopment() {
        return new SecuritySettings(false, ServerCredentials.developmentDmServer(),
                ServerCredentials.developmentBootstrapServer(), DevelopmentMaterial.ca(), null);
    }

    public SecretSealer sealer() {
        return masterKey == null ? SecretSealer.plaintext() : masterKey.sealer();
    }

    /** Every CA a device certificate may chain to (both servers' anchors). */
    public List<X509Certificate> deviceTrustAnchors() {
        List<X509Certificate> anchors = new ArrayList<>(dmServer.trustAnchors());
        bootstrapServer.trustAnchors().stream().filter(anchor -> !anchors.contains(anchor)).forEach(anchors::add);
        return anchors;
    }

    /**
     * Fails with what to fix when production mode would run with development material or without a master key.
     *
     * @throws IllegalStateException listing every problem
     */
    public void validate(int demoDevices) {
        if (!production) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (masterKey == null) {
            problems.add("no master key: set ORBIS_MASTER_KEY (base64 of 32 random bytes, 'openssl rand -base64 32') "
                    + "or --master-key-file; it seals device secrets in the database and must not be stored there");
        }
        if (dmServer.usesDevelopmentMaterial()) {
            problems.add("the DM server uses the checked-in DEVELOPMENT ONLY certificate or CA: give --dm-cert, "
                    + "--dm-key and --trust-ca (create them with orbis-certs)");
        }
        if (bootstrapServer.usesDevelopmentMaterial()) {
            problems.add("the bootstrap server uses the checked-in DEVELOPMENT ONLY certificate or CA: give "
                    + "--bootstrap-cert, --bootstrap-key and --trust-ca");
        }
        if (deviceIssuer != null && DevelopmentMaterial.isDevelopmentMaterial(deviceIssuer.certificate())) {
            problems.add("the device-issuing CA is the DEVELOPMENT ONLY CA: give --device-ca-cert/--device-ca-key "
                    + "of your own CA, or none (operators then bring device certificates)");
        }
        if (demoDevices > 0) {
            problems.add("--demo runs simulated devices with generated credentials; it is refused in production");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("production mode refuses to start: " + String.join("; ", problems));
        }
    }

    @Override
    public String toString() {
        return "SecuritySettings[production=" + production + ", dm=" + dmServer + ", bootstrap=" + bootstrapServer
                + ", issuer=" + (deviceIssuer == null ? "none" : deviceIssuer.certificate().getSubjectX500Principal())
                + ", masterKey=" + masterKey + "]";
    }
}
