package org.orbis.world.credentials;

/** Provisioning would reuse an endpoint or a PSK identity that another device already has. */
public class DuplicateCredentialException extends RuntimeException {

    public DuplicateCredentialException(String message) {
        super(message);
    }
}
