package org.orbis.world.credentials;

/** Which server a credential authenticates the device to. */
public enum CredentialPurpose {
    BOOTSTRAP, DM
}
