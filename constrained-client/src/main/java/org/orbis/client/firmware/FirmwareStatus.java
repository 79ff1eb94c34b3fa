package org.orbis.client.firmware;

/**
 * What the Firmware Update object reports and has done, for tests and status lines.
 *
 * @param state State (/5/0/3): 0 idle, 1 downloading, 2 downloaded, 3 updating
 * @param updateResult Update Result (/5/0/5)
 * @param packageVersion PkgVersion (/5/0/7) of the package held, empty if none
 * @param bytesStored bytes of the package stored so far
 * @param downloadsStarted pull downloads started from byte 0
 * @param resumes pull downloads resumed from a later byte (after a reboot)
 * @param resumedFromByte the byte the last resume started from, 0 if none
 */
public record FirmwareStatus(int state, int updateResult, String packageVersion, long bytesStored, int downloadsStarted,
        int resumes, long resumedFromByte) {

    public static final int IDLE = 0;
    public static final int DOWNLOADING = 1;
    public static final int DOWNLOADED = 2;
    public static final int UPDATING = 3;

    /** The LwM2M name of a State value. */
    public static String stateName(int state) {
        return switch (state) {
            case IDLE -> "idle";
            case DOWNLOADING -> "downloading";
            case DOWNLOADED -> "downloaded";
            case UPDATING -> "updating";
            default -> "state " + state;
        };
    }

    /** The LwM2M meaning of an Update Result value. */
    public static String resultName(int result) {
        return switch (result) {
            case 0 -> "initial";
            case 1 -> "updated successfully";
            case 2 -> "not enough flash memory";
            case 3 -> "out of RAM";
            case 4 -> "connection lost during download";
            case 5 -> "integrity check failure";
            case 6 -> "unsupported package type";
            case 7 -> "invalid URI";
            case 8 -> "firmware update failed";
            case 9 -> "unsupported protocol";
            default -> "result " + result;
        };
    }
}
