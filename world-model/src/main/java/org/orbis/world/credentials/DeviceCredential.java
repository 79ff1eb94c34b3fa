package org.orbis.world.credentials;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a device uses to authenticate towards one server, in any of the three DTLS modes.
 *
 * @param pskIdentity PSK only
 * @param secret the PSK key (PSK), or the device's PKCS#8 private key when the platform generated it (RPK, X.509;
 *        {@code null} when the device keeps its own key). Never in {@link #toString()}.
 * @param publicKey RPK: the device's SubjectPublicKeyInfo DER; X.509: the certificate's public key
 * @param certificate X.509 only: the device certificate, DER
 * @param revokedAt when the device was revoked, {@code null} while it is not
 */
public record DeviceCredential(String endpoint, CredentialPurpose purpose, CredentialMode mode, String pskIdentity,
        byte[] secret, byte[] publicKey, byte[] certificate, Instant revokedAt) {

    public DeviceCredential {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(mode, "mode");
        switch (mode) {
            case PSK -> new PskCredential(endpoint, purpose, pskIdentity, secret); // validates identity and key
            case RPK -> {
                if (publicKey == null || publicKey.length == 0) {
                    throw new IllegalArgumentException("an RPK credential needs the device's public key");
                }
            }
            case X509 -> {
                if (certificate == null || certificate.length == 0) {
                    throw new IllegalArgumentException("an X.509 credential needs the device's certificate");
                }
            }
        }
        secret = secret == null ? null : secret.clone();
        publicKey = publicKey == null ? null : publicKey.clone();
        certificate = certificate == null ? null : certificate.clone();
    }

    public static DeviceCredential psk(PskCredential psk) {
        return new DeviceCredential(psk.endpoint(), psk.purpose(), CredentialMode.PSK, psk.identity(), psk.key(), null,
                null, null);
    }

    public static DeviceCredential rpk(String endpoint, CredentialPurpose purpose, byte[] publicKey, byte[] privateKey) {
        return new DeviceCredential(endpoint, purpose, CredentialMode.RPK, null, privateKey, publicKey, null, null);
    }

    public static DeviceCredential x509(String endpoint, CredentialPurpose purpose, byte[] certificate,
            byte[] publicKey, byte[] privateKey) {
        return new DeviceCredential(endpoint, purpose, CredentialMode.X509, null, privateKey, publicKey, certificate,
                null);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public PskCredential toPsk() {
        if (mode != CredentialMode.PSK) {
            throw new IllegalStateException(endpoint + "'s " + purpose + " credential is " + mode.label() + ", not psk");
        }
        return new PskCredential(endpoint, purpose, pskIdentity, secret);
    }

    DeviceCredential withRevokedAt(Instant when) {
        return new DeviceCredential(endpoint, purpose, mode, pskIdentity, secret, publicKey, certificate, when);
    }

    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }

    @Override
    public byte[] certificate() {
        return certificate == null ? null : certificate.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceCredential that && endpoint.equals(that.endpoint) && purpose == that.purpose
                && mode == that.mode && Objects.equals(pskIdentity, that.pskIdentity)
                && Arrays.equals(secret, that.secret) && Arrays.equals(publicKey, that.publicKey)
                && Arrays.equals(certificate, that.certificate) && Objects.equals(revokedAt, that.revokedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, purpose, mode, pskIdentity, Arrays.hashCode(publicKey));
    }

    @Override
    public String toString() {
        return "DeviceCredential[endpoint=" + endpoint + ", purpose=" + purpose + ", mode=" + mode.label()
                + (pskIdentity == null ? "" : ", pskIdentity=" + pskIdentity)
                + (secret == null ? "" : ", secret=<hidden>") + (revokedAt == null ? "" : ", revokedAt=" + revokedAt) + "]";
    }
}
