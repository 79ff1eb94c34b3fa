package org.orbis.certs.dtls;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;
import org.orbis.certs.CertificateRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scandium's certificate check for devices (X.509 chains must lead to a trust anchor; any raw public key passes the
 * handshake and is matched against the database at registration), logging why a certificate was refused: expired,
 * not yet valid, or from an untrusted CA. Runs synchronously on Scandium's handshake thread.
 */
public final class RefusalLoggingCertificateVerifier implements NewAdvancedCertificateVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLoggingCertificateVerifier.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final NewAdvancedCertificateVerifier delegate;
    private final List<X509Certificate> trustAnchors;
    private final String server;
    private volatile long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    /** @param server names the server in log lines, e.g. "DM server" */
    public RefusalLoggingCertificateVerifier(List<X509Certificate> trustAnchors, String server) {
        this.trustAnchors = List.copyOf(trustAnchors);
        this.server = server;
        // No certificate_authorities in the CertificateRequest: a device whose certificate is from another CA then
        // still sends it (instead of an empty certificate), so the refusal can name the untrusted issuer.
        StaticNewAdvancedCertificateVerifier.Builder builder = StaticNewAdvancedCertificateVerifier.builder()
                .setTrustAllRPKs().setUseEmptyAcceptedIssuers(true);
        if (!trustAnchors.isEmpty()) {
            builder.setTrustedCertificates(trustAnchors.toArray(X509Certificate[]::new));
        }
        this.delegate = builder.build();
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return delegate.getSupportedCertificateTypes();
    }

    @Override
    public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName,
            InetSocketAddress remotePeer, boolean clientUsage, boolean verifySubject, boolean truncateCertificatePath,
            CertificateMessage message) {
        CertificateVerificationResult result = delegate.verifyCertificate(cid, serverName, remotePeer, clientUsage,
                verifySubject, truncateCertificatePath, message);
        if (result.getException() != null) {
            long now = System.nanoTime();
            if (now - lastLogNanos > LOG_INTERVAL_NANOS) {
                lastLogNanos = now;
                @SuppressWarnings("unchecked")
                List<X509Certificate> chain = message.getCertificateChain() == null ? List.of()
                        : (List<X509Certificate>) message.getCertificateChain().getCertificates();
                LOG.warn("{} refused the DTLS handshake from {}: {}", server, remotePeer, CertificateRefusal.explain(
                        chain, trustAnchors, Instant.now(), result.getException().getMessage()));
            }
        }
        return result;
    }

    @Override
    public List<X500Principal> getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        delegate.setResultHandler(resultHandler);
    }
}
