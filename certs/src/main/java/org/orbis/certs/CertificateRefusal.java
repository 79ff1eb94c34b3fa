package org.orbis.certs;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Says in words why a peer's certificate chain is not acceptable: expired, not yet valid, or not issued by any
 * trusted CA. Servers log this when DTLS refuses a certificate, so operators see the reason instead of a bare alert.
 */
public final class CertificateRefusal {

    private CertificateRefusal() {
    }

    /**
     * @param chain the peer's chain, leaf first
     * @param fallback said when none of the checks here finds the problem (e.g. the DTLS stack's own message)
     */
    public static String explain(List<X509Certificate> chain, List<X509Certificate> trustAnchors, Instant now,
            String fallback) {
        if (chain.isEmpty()) {
            return "the peer sent no certificate";
        }
        X509Certificate leaf = chain.get(0);
        String who = "certificate CN=" + CertificateAuthority.commonName(leaf);
        for (X509Certificate certificate : chain) {
            if (certificate.getNotAfter().before(Date.from(now))) {
                return who + " is expired: " + (certificate == leaf ? "it" : "its issuer "
                        + certificate.getSubjectX500Principal().getName()) + " was valid until "
                        + certificate.getNotAfter().toInstant();
            }
            if (certificate.getNotBefore().after(Date.from(now))) {
                return who + " is not valid yet: valid from " + certificate.getNotBefore().toInstant();
            }
        }
        X509Certificate top = chain.get(chain.size() - 1);
        boolean anchored = trustAnchors.stream().anyMatch(anchor -> signedBy(top, anchor) || top.equals(anchor));
        if (!anchored) {
            return who + " is not issued by a trusted CA (issuer " + top.getIssuerX500Principal().getName() + ")";
        }
        return who + " was refused: " + fallback;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
