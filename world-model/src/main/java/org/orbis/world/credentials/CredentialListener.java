package org.orbis.world.credentials;

import java.util.List;

/**
 * Hears that credentials stopped being valid (rotated away or revoked), so that servers can drop the sessions that
 * were established with them. Called on the thread that made the change, after it committed; must return quickly.
 */
public interface CredentialListener {

    void credentialsWithdrawn(List<DeviceCredential> withdrawn, String reason);
}
