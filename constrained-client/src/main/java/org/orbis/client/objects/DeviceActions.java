package org.orbis.client.objects;

/**
 * What the device does when a server executes Reboot (/3/0/4) or Factory Reset (/3/0/5).
 * <p>
 * Both are called on a Californium thread before the Execute is acknowledged: implementations must only schedule the
 * work and return at once, so the server still gets its 2.04 Changed.
 */
public interface DeviceActions {

    void reboot();

    void factoryReset();
}
