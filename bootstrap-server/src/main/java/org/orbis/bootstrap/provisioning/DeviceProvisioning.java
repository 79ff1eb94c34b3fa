package org.orbis.bootstrap.provisioning;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.orbis.certs.CertificateAuthority;
import org.orbis.certs.KeyPairs;
import org.orbis.certs.Pem;
import org.orbis.world.credentials.CredentialMode;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.DeviceCredential;
import org.orbis.world.graph.NodeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues the bootstrap and DM-server credentials of devices, in any of the three modes: new devices atomically
 * ({@link #provision}), and replacements for existing ones ({@link #rotate}). Thread-safe.
 */
public final class DeviceProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceProvisioning.class);
    private static final int GENERATED_KEY_BYTES = 16;
    public static final Duration DEFAULT_CERTIFICATE_VALIDITY = Duration.ofDays(5 * 365);

    private final CredentialStore credentials;
    private final SecureRandom random;
    private final CertificateAuthority issuer;
    private final List<X509Certificate> trustAnchors;
    private final Duration certificateValidity;

    /** PSK only: no CA to issue device certificates and none to check them against. */
    public DeviceProvisioning(CredentialStore credentials, SecureRandom random) {
        this(credentials, random, null, List.of(), DEFAULT_CERTIFICATE_VALIDITY);
    }

    /**
     * @param issuer issues device certificates when the operator brings none; {@code null} means operators must
     *        bring their own
     * @param trustAnchors CAs the DM and bootstrap servers trust; a device certificate must chain to one
     */
    public DeviceProvisioning(CredentialStore credentials, SecureRandom random, CertificateAuthority issuer,
            List<X509Certificate> trustAnchors, Duration certificateValidity) {
        this.credentials = credentials;
        this.random = random;
        this.issuer = issuer;
        this.trustAnchors = List.copyOf(trustAnchors);
        this.certificateValidity = certificateValidity;
    }

    /**
     * Creates the device with both credentials in one transaction.
     *
     * @throws IllegalArgumentException if the endpoint name or a supplied credential is malformed or unacceptable
     * @throws org.orbis.world.credentials.DuplicateCredentialException if the endpoint, an identity or a key is taken
     */
    public ProvisionedDevice provision(ProvisioningRequest request) {
        String endpoint = NodeKey.requireValidEndpoint(request.endpoint());
        DeviceCredential bootstrap = credential(endpoint, CredentialPurpose.BOOTSTRAP, request.bootstrap());
        DeviceCredential server = credential(endpoint, CredentialPurpose.DM, request.server());
        credentials.provisionDevice(endpoint, List.of(bootstrap, server));
        LOG.info("provisioned device {} (bootstrap {}, DM {})", endpoint, describe(bootstrap), describe(server));
        return new ProvisionedDevice(endpoint, bootstrap, server);
    }

    /**
     * Replaces one of an existing device's credentials; the old one stops working at once (its live DTLS sessions
     * are dropped). The device gets the new DM credential the next time it bootstraps.
     *
     * @return the new credential, generated secrets included, to be shown once
     */
    public DeviceCredential rotate(String endpoint, CredentialPurpose purpose, CredentialRequest request) {
        Rotation rotation = rotateKeepingSessions(endpoint, purpose, request);
        credentials.withdraw(java.util.List.of(rotation.old()), "rotated");
        return rotation.replacement();
    }

    /** The credential a rotation replaced and the one that replaced it. */
    public record Rotation(DeviceCredential old, DeviceCredential replacement) {
    }

    /**
     * Stores a new credential but keeps the sessions made with the old one up until the caller withdraws it (see
     * {@link CredentialStore#withdraw}), so the new one can be delivered over them.
     */
    public Rotation rotateKeepingSessions(String endpoint, CredentialPurpose purpose, CredentialRequest request) {
        DeviceCredential replacement = credential(NodeKey.requireValidEndpoint(endpoint), purpose, request);
        DeviceCredential old = credentials.rotateKeepingSessions(replacement);
        LOG.info("rotated the {} credential of {} to {}", purpose.name().toLowerCase(java.util.Locale.ROOT), endpoint,
                describe(replacement));
        return new Rotation(old, replacement);
    }

    /** Whether X.509 credentials can be generated (the platform has an issuing CA). */
    public boolean canIssueCertificates() {
        return issuer != null;
    }

    public Optional<X509Certificate> issuingCa() {
        return Optional.ofNullable(issuer).map(CertificateAuthority::certificate);
    }

    private DeviceCredential credential(String endpoint, CredentialPurpose purpose, CredentialRequest request) {
        return switch (request.mode()) {
            case PSK -> {
                byte[] key = request.pskKey();
                if (key == null) {
                    key = new byte[GENERATED_KEY_BYTES];
                    random.nextBytes(key);
                }
                yield new DeviceCredential(endpoint, purpose, CredentialMode.PSK,
                        request.pskIdentity() == null ? endpoint : request.pskIdentity(), key, null, null, null);
            }
            case RPK -> {
                if (request.publicKey() != null) {
                    Pem.publicKeyFromDer(request.publicKey()); // rejects anything that is not a public key
                    yield DeviceCredential.rpk(endpoint, purpose, request.publicKey(), null);
                }
                KeyPair keys = KeyPairs.ecP256(random);
                yield DeviceCredential.rpk(endpoint, purpose, keys.getPublic().getEncoded(),
                        keys.getPrivate().getEncoded());
            }
            case X509 -> {
                if (request.certificate() != null) {
                    X509Certificate certificate = Pem.readCertificates(request.certificate(), "certificate").get(0);
                    requireAcceptable(endpoint, certificate);
                    yield DeviceCredential.x509(endpoint, purpose, encoded(certificate),
                            certificate.getPublicKey().getEncoded(), null);
                }
                if (issuer == null) {
                    throw new IllegalArgumentException("this platform has no CA to issue device certificates; supply "
                            + "the device's certificate (CN = endpoint, issued by a trusted CA)");
                }
                KeyPair keys = KeyPairs.ecP256(random);
                X509Certificate certificate = issuer.issueDevice(endpoint, keys.getPublic(), certificateValidity);
                yield DeviceCredential.x509(endpoint, purpose, encoded(certificate), keys.getPublic().getEncoded(),
                        keys.getPrivate().getEncoded());
            }
        };
    }

    private void requireAcceptable(String endpoint, X509Certificate certificate) {
        String commonName = CertificateAuthority.commonName(certificate);
        if (!endpoint.equals(commonName)) {
            throw new IllegalArgumentException("the certificate's CN is '" + commonName + "' but the endpoint is '"
                    + endpoint + "'; the DM server only accepts certificates whose CN is the endpoint name");
        }
        boolean trusted = trustAnchors.stream().anyMatch(anchor -> {
            try {
                certificate.verify(anchor.getPublicKey());
                return true;
            } catch (java.security.GeneralSecurityException e) {
                return false;
            }
        });
        if (!trusted) {
            throw new IllegalArgumentException("the certificate is not issued by a CA the servers trust (issuer "
                    + certificate.getIssuerX500Principal().getName() + ")");
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static String describe(DeviceCredential credential) {
        return credential.mode() == CredentialMode.PSK ? "PSK identity '" + credential.pskIdentity() + "'"
                : credential.mode().label();
    }
}
