package org.orbis.server.firmware;

import java.time.Duration;
import org.orbis.server.commands.CommandPayload;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.NewCommand;

/**
 * The commands a campaign queues for a device, all with origin {@code firmware}. They wait behind operator commands
 * and desired values of the same device ({@link #PRIORITY}), and each kind has a coalesce key per device, so that a
 * newer step replaces an older one still waiting (a retry, a new campaign) instead of piling up for a sleeping device.
 */
final class CampaignCommands {

    static final String ORIGIN = "firmware";
    /** Below operator commands (0) and desired values (10): a long transfer should not hold those up. */
    static final int PRIORITY = -10;
    /** Attempts of one command (no answer, device asleep) before the campaign counts the step as failed. */
    static final int MAX_ATTEMPTS = 5;
    static final String PACKAGE_URI = "/5/0/1";
    static final String PACKAGE = "/5/0/0";
    static final String UPDATE = "/5/0/2";
    static final String FIRMWARE_OBJECT = "/5/0";
    static final String FIRMWARE_VERSION = "/3/0/3";

    private CampaignCommands() {
    }

    /** Empties Package URI: cancels whatever the device was doing and resets it to Idle with Update Result 0. */
    static NewCommand reset(String endpoint, Duration ttl) {
        return write(endpoint, PACKAGE_URI, "", "reset", ttl);
    }

    static NewCommand packageUri(String endpoint, String uri, Duration ttl) {
        return write(endpoint, PACKAGE_URI, uri, "uri", ttl);
    }

    static NewCommand pushPackage(String endpoint, long imageId, Duration ttl) {
        return new NewCommand(endpoint, CommandKind.WRITE, PACKAGE, CommandPayload.firmwarePackage(imageId).toJson(),
                PRIORITY, key(endpoint, "package"), ORIGIN, ttl, MAX_ATTEMPTS);
    }

    static NewCommand update(String endpoint, Duration ttl) {
        return new NewCommand(endpoint, CommandKind.EXECUTE, UPDATE, CommandPayload.none().toJson(), PRIORITY,
                key(endpoint, "update"), ORIGIN, ttl, MAX_ATTEMPTS);
    }

    static NewCommand read(String endpoint, String path, Duration ttl) {
        return new NewCommand(endpoint, CommandKind.READ, path, CommandPayload.none().toJson(), PRIORITY,
                key(endpoint, "read" + path), ORIGIN, ttl, MAX_ATTEMPTS);
    }

    private static NewCommand write(String endpoint, String path, String value, String what, Duration ttl) {
        return new NewCommand(endpoint, CommandKind.WRITE, path, new CommandPayload(value, null, null).toJson(), PRIORITY,
                key(endpoint, what), ORIGIN, ttl, MAX_ATTEMPTS);
    }

    private static String key(String endpoint, String what) {
        return "firmware:" + what + ":" + endpoint;
    }
}
