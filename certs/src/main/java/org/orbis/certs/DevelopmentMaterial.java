package org.orbis.certs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The checked-in DEVELOPMENT-ONLY certificates and keys ({@code certs/dev/}, on the classpath under
 * {@code org/orbis/certs/dev/}): a development CA (whose private key is public, so anyone can mint certificates it
 * signs), DM and bootstrap server certificates for {@code localhost}/{@code 127.0.0.1}/{@code ::1}, a demo device
 * certificate and a demo raw public key. The quick start and the tests use them; production mode refuses them.
 */
public final class DevelopmentMaterial {

    public static final String RESOURCE_DIR = "/org/orbis/certs/dev/";
    public static final String CA = "ca";
    public static final String DM_SERVER = "dm-server";
    public static final String BOOTSTRAP_SERVER = "bootstrap-server";
    /** Endpoint name (and certificate CN) of the demo X.509 device. */
    public static final String DEMO_DEVICE = "orbis-dev-device";
    /** Name of the demo raw-public-key pair. */
    public static final String DEMO_RPK = "orbis-dev-rpk";
    /** Server names written into the development server certificates. */
    public static final List<String> DNS_NAMES = List.of("localhost");
    public static final List<String> IP_ADDRESSES = List.of("127.0.0.1", "::1");

    private DevelopmentMaterial() {
    }

    public static CertificateAuthority ca() {
        return new CertificateAuthority(certificates(CA).get(0), Pem.readPrivateKey(resource(CA + ".key.pem"), CA));
    }

    public static X509Identity dmServer() {
        return identity(DM_SERVER);
    }

    public static X509Identity bootstrapServer() {
        return identity(BOOTSTRAP_SERVER);
    }

    public static X509Identity demoDevice() {
        return identity(DEMO_DEVICE);
    }

    public static PublicKey demoRpkPublicKey() {
        return Pem.readPublicKey(resource(DEMO_RPK + ".pub.pem"), DEMO_RPK);
    }

    /** An identity from {@code NAME.pem} (chain) and {@code NAME.key.pem}. */
    public static X509Identity identity(String name) {
        return new X509Identity(Pem.readPrivateKey(resource(name + ".key.pem"), name), certificates(name));
    }

    /**
     * Whether a certificate is development material: marked {@link CertificateAuthority#DEVELOPMENT_ONLY} in its
     * subject or issuer, or byte-for-byte one of the checked-in certificates.
     */
    public static boolean isDevelopmentMaterial(X509Certificate certificate) {
        if (CertificateAuthority.isDevelopmentOnly(certificate)) {
            return true;
        }
        for (String name : List.of(CA, DM_SERVER, BOOTSTRAP_SERVER, DEMO_DEVICE)) {
            for (X509Certificate known : certificates(name)) {
                if (sameEncoding(known, certificate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameEncoding(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    private static List<X509Certificate> certificates(String name) {
        return Pem.readCertificates(resource(name + ".pem"), name + ".pem");
    }

    private static byte[] resource(String file) {
        try (InputStream in = DevelopmentMaterial.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("development material " + RESOURCE_DIR + file + " is missing from the "
                        + "classpath; regenerate it with 'java -jar certs/target/orbis-certs.jar dev --out certs/dev'");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
