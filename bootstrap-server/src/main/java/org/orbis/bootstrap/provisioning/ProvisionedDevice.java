package org.orbis.bootstrap.provisioning;

import org.orbis.world.credentials.PskCredential;

/** A freshly provisioned device and the credentials it needs, to be shown to the operator once. */
public record ProvisionedDevice(String endpoint, PskCredential bootstrap, PskCredential server) {
}
