package org.orbis.server.security;

import java.security.PublicKey;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.security.SecurityChecker;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leshan's checks of a registering device's DTLS identity against its security info, with one WARN line per refusal
 * that says why (Leshan logs these at DEBUG only). Never logs a key: RPK mismatches are reported by fingerprint.
 * Called on Californium's threads.
 */
public final class RefusalLoggingSecurityChecker extends SecurityChecker {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLoggingSecurityChecker.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private volatile long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    @Override
    public boolean checkSecurityInfos(String endpoint, Identity clientIdentity, Iterator<SecurityInfo> securityInfos) {
        if (clientIdentity.isSecure() && (securityInfos == null || !securityInfos.hasNext())) {
            refuse("registration of {} refused: no active credentials for this endpoint (not provisioned or revoked)",
                    endpoint);
            return false;
        }
        return super.checkSecurityInfos(endpoint, clientIdentity, securityInfos);
    }

    @Override
    public boolean checkSecurityInfo(String endpoint, Identity clientIdentity, SecurityInfo securityInfo) {
        if (clientIdentity.isSecure() && securityInfo == null) {
            refuse("registration of {} refused: no active credentials for this endpoint (not provisioned or revoked)",
                    endpoint);
            return false;
        }
        if (securityInfo != null && clientIdentity.isSecure() && !sameMode(clientIdentity, securityInfo)) {
            refuse("registration of {} refused: it authenticated with {} but is provisioned for {}", endpoint,
                    mode(clientIdentity), securityInfo.usePSK() ? "psk" : securityInfo.useRPK() ? "rpk" : "x509");
            return false;
        }
        return super.checkSecurityInfo(endpoint, clientIdentity, securityInfo);
    }

    @Override
    protected boolean matchPskIdentity(String endpoint, String receivedPskIdentity, String expectedPskIdentity) {
        boolean match = super.matchPskIdentity(endpoint, receivedPskIdentity, expectedPskIdentity);
        if (!match) {
            refuse("registration of {} refused: PSK identity '{}' belongs to another device", endpoint,
                    receivedPskIdentity);
        }
        return match;
    }

    @Override
    protected boolean matchRpkIdenity(String endpoint, PublicKey receivedPublicKey, PublicKey expectedPublicKey) {
        boolean match = super.matchRpkIdenity(endpoint, receivedPublicKey, expectedPublicKey);
        if (!match) {
            refuse("registration of {} refused: wrong raw public key (got {}, provisioned {})", endpoint,
                    KeyFingerprint.of(receivedPublicKey), KeyFingerprint.of(expectedPublicKey));
        }
        return match;
    }

    @Override
    protected boolean matchX509Identity(String endpoint, String receivedX509CommonName, String expectedX509CommonName) {
        boolean match = super.matchX509Identity(endpoint, receivedX509CommonName, expectedX509CommonName);
        if (!match) {
            refuse("registration of {} refused: certificate CN '{}' differs from the endpoint name", endpoint,
                    receivedX509CommonName);
        }
        return match;
    }

    private static boolean sameMode(Identity identity, SecurityInfo info) {
        return identity.isPSK() && info.usePSK() || identity.isRPK() && info.useRPK()
                || identity.isX509() && info.useX509Cert();
    }

    private static String mode(Identity identity) {
        return identity.isPSK() ? "psk" : identity.isRPK() ? "rpk" : identity.isX509() ? "x509" : "none";
    }

    /** Rate-limited so a flood of bad registrations cannot flood the log. */
    private void refuse(String format, Object... arguments) {
        long now = System.nanoTime();
        if (now - lastLogNanos > LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            LOG.warn(format, arguments);
        }
    }
}
