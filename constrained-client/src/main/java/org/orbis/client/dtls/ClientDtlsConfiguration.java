package org.orbis.client.dtls;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.eclipse.californium.elements.Connector;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.DTLSSession;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.orbis.client.ClientCredentials;
import org.eclipse.leshan.client.californium.LeshanClientBuilder;

/**
 * Builds the Californium/Scandium {@link Configuration} of one reference client.
 * <p>
 * Cipher suites go into {@link DtlsConfig#DTLS_PRESELECTED_CIPHER_SUITES} of the {@code Configuration}: Scandium
 * offers, in that order, those of them that the credentials of the server being contacted can use (PSK suites for a
 * PSK account, ECDSA suites for RPK and X.509), so one list serves a client whose bootstrap and DM accounts use
 * different modes. (Leshan M5 would call {@code DtlsConnectorConfig.Builder.setSupportedCipherSuites(List)}, which
 * Scandium 3.14 no longer has, if the suites were set on a DTLS builder instead.) The order is the client's
 * preference, and a Scandium server honours the client's order among the suites it supports.
 */
public final class ClientDtlsConfiguration {

    /**
     * Plain PSK with AES-128-CCM-8 first: it is what constrained devices implement (mandatory in LwM2M) and it
     * handshakes about 2.5 times faster than ECDHE-PSK (no elliptic-curve work). ECDHE-PSK follows for servers that
     * insist on forward secrecy: GCM, then CBC for LwM2M 1.0 servers that only speak CBC. For RPK and X.509:
     * ECDHE-ECDSA with AES-128-CCM-8 (the LwM2M mandatory certificate suite), then AES-128-GCM.
     */
    public static final List<CipherSuite> DEFAULT_CIPHER_SUITES = List.of(
            CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);

    private ClientDtlsConfiguration() {
    }

    /**
     * A fresh configuration (Leshan's client defaults plus the given DTLS choices); never shared between clients,
     * because Leshan writes the DTLS role into it.
     *
     * @param cipherSuites PSK and ECDSA cipher suites in order of preference
     * @param connectionIdSupport whether to accept a DTLS Connection ID from the server (RFC 9146); the client asks
     *            for none for its own inbound records (length 0), which is what a NAT-ed device needs
     */
    public static Configuration create(List<CipherSuite> cipherSuites, boolean connectionIdSupport) {
        requireUsableSuites(cipherSuites);
        Configuration config = LeshanClientBuilder.createDefaultCoapConfiguration();
        config.setAsList(DtlsConfig.DTLS_PRESELECTED_CIPHER_SUITES, cipherSuites.toArray(CipherSuite[]::new));
        // CBC suites are "not recommended" in Scandium and refused unless this is switched off.
        config.set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY,
                cipherSuites.stream().allMatch(CipherSuite::isRecommended));
        if (connectionIdSupport) {
            config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 0);
        }
        return config;
    }

    /**
     * Builds a throw-away {@link DtlsConnectorConfig} the way Leshan will at start-up, so that a configuration Scandium
     * rejects fails when the client is built rather than when it first connects.
     *
     * @throws IllegalArgumentException with Scandium's reason if the configuration is unusable
     */
    public static void verify(Configuration config, InetSocketAddress localAddress, ClientCredentials credentials) {
        try {
            DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(new Configuration(config))
                    .setAddress(localAddress)
                    .set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
            if (credentials instanceof ClientCredentials.Psk psk) {
                builder.setAdvancedPskStore(new AdvancedSinglePskStore(psk.identity(), psk.key()));
            } else if (credentials instanceof ClientCredentials.Rpk rpk) {
                builder.setCertificateIdentityProvider(new SingleCertificateProvider(rpk.privateKey(), rpk.publicKey()))
                        .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                                .setTrustAllRPKs().build());
            } else if (credentials instanceof ClientCredentials.X509 x509) {
                builder.setCertificateIdentityProvider(new SingleCertificateProvider(x509.privateKey(),
                        new java.security.cert.Certificate[] {x509.certificate()}))
                        .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                                .setTrustAllCertificates().build());
            }
            if (!offersAnyFor(config, credentials)) {
                throw new IllegalArgumentException("none of the configured cipher suites works with " + credentials.mode()
                        + " credentials");
            }
            builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("DTLS settings are not usable: " + e.getMessage(), e);
        }
    }

    /** The cipher suite of the established DTLS session with {@code peer} on {@code connector}, if any. */
    public static Optional<CipherSuite> negotiatedCipherSuite(Connector connector, InetSocketAddress peer) {
        if (!(connector instanceof DTLSConnector dtls) || peer == null) {
            return Optional.empty();
        }
        DTLSSession session = dtls.getSessionByAddress(peer);
        return session == null ? Optional.empty() : Optional.ofNullable(session.getCipherSuite());
    }

    private static boolean offersAnyFor(Configuration config, ClientCredentials credentials) {
        List<CipherSuite> suites = config.get(DtlsConfig.DTLS_PRESELECTED_CIPHER_SUITES);
        boolean psk = credentials instanceof ClientCredentials.Psk;
        return suites.stream().anyMatch(suite -> psk ? suite.isPskBased()
                : suite.requiresServerCertificateMessage() && suite.isEccBased());
    }

    private static void requireUsableSuites(List<CipherSuite> cipherSuites) {
        if (cipherSuites == null || cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("at least one cipher suite is needed");
        }
        for (CipherSuite suite : cipherSuites) {
            if (!suite.isPskBased() && !(suite.requiresServerCertificateMessage() && suite.isEccBased())) {
                throw new IllegalArgumentException(suite + " is neither a PSK nor an ECDSA cipher suite; the client "
                        + "authenticates with PSK, or with EC keys for RPK and X.509");
            }
        }
    }
}
