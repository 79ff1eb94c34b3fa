package org.orbis.bootstrap.provisioning;

import org.orbis.world.credentials.DeviceCredential;
import org.orbis.world.credentials.PskCredential;

/**
 * A freshly provisioned device and the credentials it needs, to be shown to the operator once (generated private
 * keys included).
 */
public record ProvisionedDevice(String endpoint, DeviceCredential bootstrapCredential,
        DeviceCredential serverCredential) {

    /** The bootstrap PSK; only for devices provisioned with PSK towards the bootstrap server. */
    public PskCredential bootstrap() {
        return bootstrapCredential.toPsk();
    }

    /** The DM-server PSK; only for devices provisioned with PSK towards the DM server. */
    public PskCredential server() {
        return serverCredential.toPsk();
    }
}
