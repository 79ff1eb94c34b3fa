package org.orbis.console.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.orbis.certs.Pem;
import org.orbis.client.ReferenceClientBuilder;

/** Puts a credential from a provisioning or rotation answer into a reference client, whatever its mode. */
public final class DeviceCredentials {

    private DeviceCredentials() {
    }

    /** @param credential an answer's {@code bootstrap} or {@code server} member */
    public static ReferenceClientBuilder apply(ReferenceClientBuilder builder, JsonNode credential) {
        return switch (credential.get("mode").asText()) {
            case "psk" -> builder.pskIdentity(credential.get("pskIdentity").asText())
                    .pskKey(HexFormat.of().parseHex(credential.get("pskKey").asText()));
            case "rpk" -> builder.rpk(Pem.readPublicKey(bytes(credential, "publicKey"), "publicKey"),
                    Pem.readPrivateKey(bytes(credential, "privateKey"), "privateKey"),
                    Pem.readPublicKey(bytes(credential, "serverPublicKey"), "serverPublicKey"));
            case "x509" -> builder.x509(Pem.readCertificates(bytes(credential, "certificate"), "certificate").get(0),
                    Pem.readPrivateKey(bytes(credential, "privateKey"), "privateKey"),
                    Pem.readCertificates(bytes(credential, "serverCertificate"), "serverCertificate").get(0));
            default -> throw new AssertionError("unknown mode in " + credential);
        };
    }

    private static byte[] bytes(JsonNode credential, String field) {
        JsonNode value = credential.get(field);
        if (value == null || value.isNull()) {
            throw new AssertionError("credential has no " + field + ": " + credential);
        }
        return value.asText().getBytes(StandardCharsets.US_ASCII);
    }
}
