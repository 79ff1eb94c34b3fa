package org.orbis.bootstrap.provisioning;

import java.util.Objects;

/** What an operator asks for when adding a device: its credentials towards the bootstrap and the DM server. */
public record ProvisioningRequest(String endpoint, CredentialRequest bootstrap, CredentialRequest server) {

    public ProvisioningRequest {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(server, "server");
    }

    /** PSK towards both servers; every {@code null} is generated. */
    public ProvisioningRequest(String endpoint, String bootstrapPskIdentity, byte[] bootstrapPskKey,
            String serverPskIdentity, byte[] serverPskKey) {
        this(endpoint, CredentialRequest.psk(bootstrapPskIdentity, bootstrapPskKey),
                CredentialRequest.psk(serverPskIdentity, serverPskKey));
    }

    public static ProvisioningRequest generated(String endpoint) {
        return new ProvisioningRequest(endpoint, null, null, null, null);
    }

    @Override
    public String toString() {
        return "ProvisioningRequest[endpoint=" + endpoint + ", bootstrap=" + bootstrap + ", server=" + server + "]";
    }
}
