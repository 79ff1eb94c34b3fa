package org.orbis.client.objects;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

/**
 * The Device (3) instance: identity, a battery that drains (and is "replaced" when nearly empty), free memory that
 * wanders, error codes (Low Battery below {@value #LOW_BATTERY_PERCENT} %), a clock a server may set, and Reboot /
 * Factory Reset delegated to {@link DeviceActions}.
 */
public final class DeviceInstance extends BaseInstanceEnabler implements Drifting, FactoryResettable {

    public static final int MANUFACTURER = 0;
    public static final int MODEL_NUMBER = 1;
    public static final int SERIAL_NUMBER = 2;
    public static final int FIRMWARE_VERSION = 3;
    public static final int REBOOT = 4;
    public static final int FACTORY_RESET = 5;
    public static final int AVAILABLE_POWER_SOURCES = 6;
    public static final int BATTERY_LEVEL = 9;
    public static final int MEMORY_FREE = 10;
    public static final int ERROR_CODE = 11;
    public static final int RESET_ERROR_CODE = 12;
    public static final int CURRENT_TIME = 13;
    public static final int UTC_OFFSET = 14;
    public static final int TIMEZONE = 15;
    public static final int SUPPORTED_BINDING = 16;
    public static final int DEVICE_TYPE = 17;
    public static final int HARDWARE_VERSION = 18;
    public static final int SOFTWARE_VERSION = 19;
    public static final int BATTERY_STATUS = 20;
    public static final int MEMORY_TOTAL = 21;

    /** Only UDP: the Q flag replaced "UQ" in LwM2M 1.1, and Leshan M5 refuses "UQ" from a 1.1 client. */
    public static final String SUPPORTED_BINDING_VALUE = "U";

    static final int LOW_BATTERY_PERCENT = 15;
    private static final int ERROR_NONE = 0;
    private static final int ERROR_LOW_BATTERY = 1;
    private static final long POWER_SOURCE_INTERNAL_BATTERY = 1;
    private static final int BATTERY_STATUS_NORMAL = 0;
    private static final int BATTERY_STATUS_LOW = 4;
    private static final double BATTERY_DRAIN_PER_DRIFT = 0.05;
    private static final double BATTERY_REPLACED_BELOW = 5;
    private static final long MEMORY_TOTAL_KB = 256;
    private static final String FACTORY_UTC_OFFSET = "+00:00";
    private static final String FACTORY_TIMEZONE = "Etc/UTC";
    private static final List<Integer> RESOURCES = List.of(MANUFACTURER, MODEL_NUMBER, SERIAL_NUMBER,
            FIRMWARE_VERSION, REBOOT, FACTORY_RESET, AVAILABLE_POWER_SOURCES, BATTERY_LEVEL, MEMORY_FREE, ERROR_CODE,
            RESET_ERROR_CODE, CURRENT_TIME, UTC_OFFSET, TIMEZONE, SUPPORTED_BINDING, DEVICE_TYPE, HARDWARE_VERSION,
            SOFTWARE_VERSION, BATTERY_STATUS, MEMORY_TOTAL);

    private final DeviceInfo info;
    /** The installed firmware; a firmware update changes it (and the device reboots into it). */
    private volatile String firmwareVersion;
    private final Clock clock;
    private final DeviceActions actions;
    private final BoundedRandomWalk memoryFreeKb;
    private double batteryLevel;
    private boolean errorCodesCleared;
    private Duration clockOffset = Duration.ZERO;
    private String utcOffset = FACTORY_UTC_OFFSET;
    private String timezone = FACTORY_TIMEZONE;

    public DeviceInstance(DeviceInfo info, Clock clock, RandomGenerator random, DeviceActions actions) {
        this.info = info;
        this.firmwareVersion = info.firmwareVersion();
        this.clock = clock;
        this.actions = actions;
        this.memoryFreeKb = new BoundedRandomWalk(150, 230, 200, 3, 0, random);
        this.batteryLevel = 80 + 20 * random.nextDouble();
    }

    /** Firmware Version (3) as reported now. */
    public String firmwareVersion() {
        return firmwareVersion;
    }

    /** A firmware update installed {@code version}: Firmware Version (3) and Software Version (19) report it. */
    public void installFirmware(String version) {
        firmwareVersion = version;
        fireResourcesChange(getResourcePaths(FIRMWARE_VERSION, SOFTWARE_VERSION));
    }

    /** Battery Level (9) in percent. */
    public synchronized int batteryLevel() {
        return (int) Math.round(batteryLevel);
    }

    @Override
    public void drift() {
        synchronized (this) {
            batteryLevel -= BATTERY_DRAIN_PER_DRIFT;
            if (batteryLevel < BATTERY_REPLACED_BELOW) {
                batteryLevel = 100;
                errorCodesCleared = false;
            }
            memoryFreeKb.advance();
        }
        fireResourcesChange(getResourcePaths(BATTERY_LEVEL, BATTERY_STATUS, MEMORY_FREE, ERROR_CODE, CURRENT_TIME));
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        return switch (resourceId) {
        case MANUFACTURER -> ReadResponse.success(resourceId, info.manufacturer());
        case MODEL_NUMBER -> ReadResponse.success(resourceId, info.modelNumber());
        case SERIAL_NUMBER -> ReadResponse.success(resourceId, info.serialNumber());
        case FIRMWARE_VERSION -> ReadResponse.success(resourceId, firmwareVersion);
        case AVAILABLE_POWER_SOURCES -> ReadResponse.success(resourceId, Map.of(0, POWER_SOURCE_INTERNAL_BATTERY),
                Type.INTEGER);
        case BATTERY_LEVEL -> ReadResponse.success(resourceId, Math.round(batteryLevel));
        case MEMORY_FREE -> ReadResponse.success(resourceId, (long) memoryFreeKb.value());
        case ERROR_CODE -> ReadResponse.success(resourceId, errorCodes(), Type.INTEGER);
        case CURRENT_TIME -> ReadResponse.success(resourceId, Date.from(clock.instant().plus(clockOffset)));
        case UTC_OFFSET -> ReadResponse.success(resourceId, utcOffset);
        case TIMEZONE -> ReadResponse.success(resourceId, timezone);
        case SUPPORTED_BINDING -> ReadResponse.success(resourceId, SUPPORTED_BINDING_VALUE);
        case DEVICE_TYPE -> ReadResponse.success(resourceId, "environment sensor and light controller");
        case HARDWARE_VERSION -> ReadResponse.success(resourceId, "rev-A");
        case SOFTWARE_VERSION -> ReadResponse.success(resourceId, "orbis-client " + firmwareVersion);
        case BATTERY_STATUS -> ReadResponse.success(resourceId,
                batteryLevel < LOW_BATTERY_PERCENT ? BATTERY_STATUS_LOW : BATTERY_STATUS_NORMAL);
        case MEMORY_TOTAL -> ReadResponse.success(resourceId, MEMORY_TOTAL_KB);
        default -> super.read(identity, resourceId);
        };
    }

    @Override
    public WriteResponse write(ServerIdentity identity, boolean replace, int resourceId, LwM2mResource value) {
        if (value.isMultiInstances()) {
            return WriteResponse.badRequest("resource " + resourceId + " is single-instance");
        }
        WriteResponse response = switch (resourceId) {
        case CURRENT_TIME -> writeCurrentTime(value);
        case UTC_OFFSET -> writeUtcOffset(value);
        case TIMEZONE -> writeTimezone(value);
        default -> super.write(identity, replace, resourceId, value);
        };
        if (response.isSuccess()) {
            fireResourceChange(resourceId);
        }
        return response;
    }

    @Override
    public ExecuteResponse execute(ServerIdentity identity, int resourceId, String params) {
        switch (resourceId) {
        case REBOOT -> actions.reboot();
        case FACTORY_RESET -> actions.factoryReset();
        case RESET_ERROR_CODE -> {
            synchronized (this) {
                errorCodesCleared = true;
            }
            fireResourceChange(ERROR_CODE);
        }
        default -> {
            return super.execute(identity, resourceId, params);
        }
        }
        return ExecuteResponse.success();
    }

    @Override
    public void restoreFactoryDefaults() {
        synchronized (this) {
            clockOffset = Duration.ZERO;
            utcOffset = FACTORY_UTC_OFFSET;
            timezone = FACTORY_TIMEZONE;
            errorCodesCleared = false;
        }
        fireResourcesChange(getResourcePaths(CURRENT_TIME, UTC_OFFSET, TIMEZONE, ERROR_CODE));
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return RESOURCES;
    }

    /** Error Code (11) instances; "0 = no error" when nothing is active, as the object definition requires. */
    private Map<Integer, Long> errorCodes() {
        Map<Integer, Long> codes = new TreeMap<>();
        if (!errorCodesCleared && batteryLevel < LOW_BATTERY_PERCENT) {
            codes.put(0, (long) ERROR_LOW_BATTERY);
        } else {
            codes.put(0, (long) ERROR_NONE);
        }
        return codes;
    }

    private WriteResponse writeCurrentTime(LwM2mResource value) {
        if (value.getType() != Type.TIME) {
            return WriteResponse.badRequest("Current Time must be a Time");
        }
        synchronized (this) {
            clockOffset = Duration.between(clock.instant(), ((Date) value.getValue()).toInstant());
        }
        return WriteResponse.success();
    }

    private WriteResponse writeUtcOffset(LwM2mResource value) {
        if (value.getType() != Type.STRING) {
            return WriteResponse.badRequest("UTC Offset must be a String");
        }
        String offset = (String) value.getValue();
        try {
            ZoneOffset.of(offset.startsWith("UTC") ? offset.substring(3) : offset);
        } catch (DateTimeException e) {
            return WriteResponse.badRequest("UTC Offset must look like +02:00 or UTC+2, not " + offset);
        }
        synchronized (this) {
            utcOffset = offset;
        }
        return WriteResponse.success();
    }

    private WriteResponse writeTimezone(LwM2mResource value) {
        if (value.getType() != Type.STRING) {
            return WriteResponse.badRequest("Timezone must be a String");
        }
        String zone = (String) value.getValue();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            return WriteResponse.badRequest("Timezone must be an IANA time zone such as Europe/Paris, not " + zone);
        }
        synchronized (this) {
            timezone = zone;
        }
        return WriteResponse.success();
    }
}
