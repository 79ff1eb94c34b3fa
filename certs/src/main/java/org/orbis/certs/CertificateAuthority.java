package org.orbis.certs;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: its certificate and private key, and the certificates it issues. Every key is EC P-256
 * and every signature ECDSA with SHA-256, which constrained DTLS stacks implement. Leaf certificates allow both
 * client and server authentication, because DTLS peers in LwM2M may take either role (a server re-handshaking with a
 * device, a device accepting a server-initiated handshake).
 */
public final class CertificateAuthority {

    /** Marker put in the organisation of every development certificate; production mode refuses such material. */
    public static final String DEVELOPMENT_ONLY = "DEVELOPMENT ONLY";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom SERIALS = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal().getName()
                    + " is not a CA certificate (no basicConstraints CA:true)");
        }
    }

    /**
     * A new self-signed root CA.
     *
     * @param organisation written into the subject; development material uses {@link #DEVELOPMENT_ONLY}
     */
    public static CertificateAuthority createRoot(String commonName, String organisation, Duration validity) {
        KeyPair keys = KeyPairs.ecP256();
        X500Name subject = name(commonName, organisation);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create CA certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The organisation of this CA's subject, which its leaf certificates inherit. */
    public String organisation() {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(BCStyle.O);
        return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
    }

    /**
     * A server certificate with the given DNS names and IP addresses as subject alternative names (DTLS clients
     * check the name they connected to against these).
     */
    public X509Certificate issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses,
            PublicKey publicKey, Instant notBefore, Instant notAfter) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        for (String ip : ipAddresses) {
            names.add(new GeneralName(GeneralName.iPAddress, ipLiteral(ip)));
        }
        return issueLeaf(commonName, names, publicKey, notBefore, notAfter);
    }

    /** A device certificate whose CN is the LwM2M endpoint name (what the DM server checks at registration). */
    public X509Certificate issueDevice(String endpoint, PublicKey publicKey, Instant notBefore, Instant notAfter) {
        return issueLeaf(endpoint, List.of(), publicKey, notBefore, notAfter);
    }

    /** A device certificate valid from an hour ago for {@code validity}. */
    public X509Certificate issueDevice(String endpoint, PublicKey publicKey, Duration validity) {
        Instant now = Instant.now();
        return issueDevice(endpoint, publicKey, now.minus(Duration.ofHours(1)), now.plus(validity));
    }

    private X509Certificate issueLeaf(String commonName, List<GeneralName> alternativeNames, PublicKey publicKey,
            Instant notBefore, Instant notAfter) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(notBefore), Date.from(notAfter), name(commonName, organisation()), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            if (!alternativeNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
            }
            return sign(builder, privateKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static X500Name name(String commonName, String organisation) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a common name");
        }
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        if (organisation != null) {
            name.addRDN(BCStyle.O, organisation);
        }
        name.addRDN(BCStyle.CN, commonName);
        return name.build();
    }

    private static String ipLiteral(String ip) {
        try {
            // validate without DNS: InetAddress accepts only literals when the text is a literal
            if (!ip.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + ip + "' is not an IP address literal");
            }
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + ip + "' is not an IP address literal", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(63, SERIALS).add(BigInteger.ONE);
    }

    /** The common name of a certificate's subject, or {@code null}. */
    public static String commonName(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
    }

    /** Whether a certificate is marked as development material (subject or issuer). */
    public static boolean isDevelopmentOnly(X509Certificate certificate) {
        return marked(certificate.getSubjectX500Principal()) || marked(certificate.getIssuerX500Principal());
    }

    private static boolean marked(X500Principal principal) {
        return principal.getName().contains(DEVELOPMENT_ONLY);
    }
}
