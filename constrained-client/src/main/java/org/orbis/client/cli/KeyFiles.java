package org.orbis.client.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Loads the key and certificate files the client's flags name: PKCS#8 private keys, SubjectPublicKeyInfo public
 * keys (EC) and X.509 certificates, each as PEM or DER. Messages name the file, never its content.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    public static PrivateKey privateKey(Path file) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not an EC private key in PKCS#8 (PEM 'BEGIN PRIVATE KEY' "
                    + "or DER), as 'orbis-certs' writes them");
        }
    }

    public static PublicKey publicKey(Path file) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not an EC public key (PEM 'BEGIN PUBLIC KEY' or DER)");
        }
    }

    /** The first certificate of a PEM or DER file. */
    public static X509Certificate certificate(Path file) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(read(file)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an X.509 certificate (PEM or DER)");
        }
    }

    private static byte[] der(Path file, String type) {
        byte[] content = read(file);
        String text = new String(content, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int start = text.indexOf(begin);
        if (start < 0) {
            if (text.contains("-----BEGIN")) {
                throw new IllegalArgumentException("no " + begin + " block");
            }
            return content;
        }
        int end = text.indexOf("-----END " + type + "-----", start);
        if (end < 0) {
            throw new IllegalArgumentException("unterminated PEM block");
        }
        return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
