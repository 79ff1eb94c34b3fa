/**
 * Certificates and keys for DTLS: a small certificate authority ({@link org.orbis.certs.CertificateAuthority}) that
 * issues server certificates (with DNS and IP subject alternative names) and device certificates (CN = endpoint),
 * EC P-256 key pairs for raw public keys, PEM/DER reading and writing ({@link org.orbis.certs.Pem}), the
 * {@code orbis-certs} command line ({@link org.orbis.certs.CertsCli}), and the checked-in development-only material
 * ({@link org.orbis.certs.DevelopmentMaterial}). Building certificates uses BouncyCastle; reading them needs only the JDK.
 * No network code, no storage.
 */
package org.orbis.certs;
