package org.orbis.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain, leaf first (the leaf's issuers follow, the root may be left out).
 * {@link #toString()} never shows the key.
 */
public record X509Identity(PrivateKey privateKey, List<X509Certificate> chain) {

    public X509Identity {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String toString() {
        return "X509Identity[" + certificate().getSubjectX500Principal().getName() + ", chain of " + chain.size()
                + ", key=<hidden>]";
    }
}
