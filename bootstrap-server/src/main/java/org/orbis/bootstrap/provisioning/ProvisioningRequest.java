package org.orbis.bootstrap.provisioning;

/**
 * What an operator asks for when adding a device. Every credential left {@code null} is generated: the PSK identity
 * defaults to the endpoint name, the key to 16 random bytes.
 */
public record ProvisioningRequest(String endpoint, String bootstrapPskIdentity, byte[] bootstrapPskKey,
        String serverPskIdentity, byte[] serverPskKey) {

    public static ProvisioningRequest generated(String endpoint) {
        return new ProvisioningRequest(endpoint, null, null, null, null);
    }

    @Override
    public String toString() {
        return "ProvisioningRequest[endpoint=" + endpoint + ", bootstrapPskIdentity=" + bootstrapPskIdentity
                + ", serverPskIdentity=" + serverPskIdentity + ", keys=<hidden>]";
    }
}
