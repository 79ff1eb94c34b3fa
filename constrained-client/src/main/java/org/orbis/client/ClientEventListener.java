package org.orbis.client;

import org.orbis.client.firmware.FirmwareStatus;
import org.orbis.client.objects.WorldViewSnapshot;

import org.orbis.client.objects.LightState;

/**
 * Hears what happens to a {@link ReferenceClient}: bootstrap, registration, light changes and firmware updates. All
 * methods have empty defaults.
 * <p>
 * Registration callbacks run on the client's registration thread (the shared executor if one was given), light
 * callbacks on the Californium thread that served the server's Write. Implementations must return quickly and must
 * not call {@link ReferenceClient#stop(boolean)} or {@link ReferenceClient#destroy(boolean)} from a callback.
 */
public interface ClientEventListener {

    /** The bootstrap server finished provisioning the client. */
    default void onBootstrapped(String bootstrapServerUri) {
    }

    /** A bootstrap attempt failed; the client retries after its retry interval. */
    default void onBootstrapFailed(String bootstrapServerUri, String reason) {
    }

    /** The client registered to a device-management server. */
    default void onRegistered(String serverUri, String registrationId) {
    }

    /** A registration attempt failed (for example a DTLS handshake refused for a wrong PSK). */
    default void onRegistrationFailed(String serverUri, String reason) {
    }

    /**
     * The client left a server. It considers itself deregistered either way; {@code acknowledged} tells whether the
     * server answered the De-register (if not, the server drops the registration when its lifetime expires).
     */
    default void onDeregistered(String serverUri, boolean acknowledged) {
    }

    /** A server switched or dimmed the light. */
    default void onLightChanged(LightState state) {
    }

    /** A server replaced (or first gave) one of the device's World View copies. */
    default void onWorldViewChanged(WorldViewSnapshot view) {
    }

    /** The Firmware Update object changed (a write, a downloaded block that ended a step, a failure). */
    default void onFirmwareStatus(FirmwareStatus status) {
    }

    /** The device rebooted into new firmware; it registers again right after. */
    default void onFirmwareInstalled(String version) {
    }
}
