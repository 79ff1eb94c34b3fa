package org.orbis.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes certificates and keys as PEM, and reads DER too: certificates (X.509), private keys (PKCS#8,
 * {@code BEGIN PRIVATE KEY}) and public keys (SubjectPublicKeyInfo, {@code BEGIN PUBLIC KEY}). EC and RSA keys. JDK
 * only. Error messages name the file but never show key material.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    public static String certificates(List<X509Certificate> chain) {
        StringBuilder pem = new StringBuilder();
        chain.forEach(certificate -> pem.append(certificate(certificate)));
        return pem.toString();
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}). */
    public static String publicKey(PublicKey key) {
        return block("PUBLIC KEY", key.getEncoded());
    }

    public static List<X509Certificate> readCertificates(Path file) {
        return readCertificates(bytes(file), file.toString());
    }

    /** Every certificate of a PEM bundle, or the one certificate of a DER file. */
    public static List<X509Certificate> readCertificates(byte[] pemOrDer, String source) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : factory.generateCertificates(new ByteArrayInputStream(pemOrDer))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(source + " holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(source + " is not an X.509 certificate in PEM or DER: " + e.getMessage(), e);
        }
    }

    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    public static PrivateKey readPrivateKey(Path file) {
        return readPrivateKey(bytes(file), file.toString());
    }

    /** A PKCS#8 private key, PEM or DER. */
    public static PrivateKey readPrivateKey(byte[] pemOrDer, String source) {
        byte[] der = der(pemOrDer, "PRIVATE KEY", source);
        return (PrivateKey) decode(der, source, true);
    }

    public static PublicKey readPublicKey(Path file) {
        return readPublicKey(bytes(file), file.toString());
    }

    /** A SubjectPublicKeyInfo public key, PEM or DER. */
    public static PublicKey readPublicKey(byte[] pemOrDer, String source) {
        byte[] der = der(pemOrDer, "PUBLIC KEY", source);
        return (PublicKey) decode(der, source, false);
    }

    /** A public key from its DER (SubjectPublicKeyInfo) encoding. */
    public static PublicKey publicKeyFromDer(byte[] der) {
        return (PublicKey) decode(der, "public key", false);
    }

    /** A private key from its PKCS#8 DER encoding. */
    public static PrivateKey privateKeyFromDer(byte[] der) {
        return (PrivateKey) decode(der, "private key", true);
    }

    public static void write(Path file, String pem) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void write(Path file, byte[] der) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, der);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Key decode(byte[] der, String source, boolean isPrivate) {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                KeyFactory factory = KeyFactory.getInstance(algorithm);
                return isPrivate ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
                        : factory.generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                last = e instanceof GeneralSecurityException g ? g : last;
            }
        }
        throw new IllegalArgumentException(source + " is not a " + (isPrivate ? "PKCS#8 private key" : "public key (SubjectPublicKeyInfo)")
                + " in PEM or DER" + (last == null ? "" : ": " + last.getClass().getSimpleName()));
    }

    private static byte[] der(byte[] pemOrDer, String type, String source) {
        String text = new String(pemOrDer, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN")) {
            return pemOrDer;
        }
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(matcher.group(2));
            }
            if (matcher.group(1).equals("EC PRIVATE KEY") && type.equals("PRIVATE KEY")) {
                throw new IllegalArgumentException(source + " holds a SEC1 'EC PRIVATE KEY'; convert it to PKCS#8 with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in " + source + "'");
            }
        }
        throw new IllegalArgumentException(source + " has no '-----BEGIN " + type + "-----' block");
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
