package org.orbis.client.firmware;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmware Update (object 5, instance 0) with the LwM2M state machine: Idle → Downloading → Downloaded → Updating →
 * Idle. A package arrives by pull (a Package URI the device downloads block-wise, resumable) or by push (a block-wise
 * Write of Package); it is checked against the SHA-256 in its header ({@link FirmwarePackage}) and against the
 * device's model before it counts as Downloaded. Executing Update installs it: the device then reports the new
 * version in /3/0/3, Update Result 1, and reboots. Failures end in Idle with the matching Update Result (2, 4, 5, 6,
 * 7, 9), or back in Downloaded with 8 when installing fails.
 *
 * <p>What it stored survives a reboot, as flash would: a pull download that a reboot interrupted resumes from the
 * last stored block once the device is connected again ({@link #connected()}).
 */
public final class FirmwareUpdateInstance extends BaseInstanceEnabler {

    public static final int OBJECT_ID = 5;
    public static final int PACKAGE = 0;
    public static final int PACKAGE_URI = 1;
    public static final int UPDATE = 2;
    public static final int STATE = 3;
    public static final int UPDATE_RESULT = 5;
    public static final int PKG_NAME = 6;
    public static final int PKG_VERSION = 7;
    public static final int PROTOCOL_SUPPORT = 8;
    public static final int DELIVERY_METHOD = 9;

    static final int RESULT_INITIAL = 0;
    static final int RESULT_SUCCESS = 1;
    static final int RESULT_NO_FLASH = 2;
    static final int RESULT_INTEGRITY = 5;
    static final int RESULT_UNSUPPORTED_TYPE = 6;
    static final int RESULT_INVALID_URI = 7;
    static final int RESULT_UPDATE_FAILED = 8;
    private static final int PROTOCOL_COAP = 0;
    private static final int PROTOCOL_COAPS = 1;
    private static final int MAX_URI_LENGTH = 255;
    private static final List<Integer> RESOURCES = List.of(PACKAGE, PACKAGE_URI, UPDATE, STATE, UPDATE_RESULT, PKG_NAME,
            PKG_VERSION, PROTOCOL_SUPPORT, DELIVERY_METHOD);
    private static final Logger LOG = LoggerFactory.getLogger(FirmwareUpdateInstance.class);

    private final String device;
    private final String model;
    private final FirmwareSettings settings;
    private final ScheduledExecutorService scheduler;
    private final FirmwareHost host;
    private final PackageStore store;

    private int state = FirmwareStatus.IDLE;
    private int result = RESULT_INITIAL;
    private String packageUri = "";
    private FirmwarePackage staged;
    /** The pull download running now, {@code null} if none (also after a power cut interrupted one). */
    private PackageDownload download;
    /** Set while a pull download is unfinished, even across reboots. */
    private boolean pulling;
    private byte[] etag;
    /** Size of the package being pulled, from the server's Size2, -1 while unknown. */
    private long expectedSize = -1;
    /** Tells callbacks of an older download or verification that they are stale. */
    private long generation;
    private boolean powerCutDone;
    private int downloadsStarted;
    private int resumes;
    private long resumedFromByte;
    /** What listeners last heard, so that they hear only changes. */
    private FirmwareStatus announced;

    /** @param model the device's model number (/3/0/1); packages for another model are refused */
    public FirmwareUpdateInstance(String device, String model, FirmwareSettings settings,
            ScheduledExecutorService scheduler, FirmwareHost host) {
        super(0);
        this.device = device;
        this.model = model;
        this.settings = settings;
        this.scheduler = scheduler;
        this.host = host;
        this.store = new PackageStore(settings.storageBytes());
    }

    public synchronized FirmwareStatus status() {
        return new FirmwareStatus(state, result, staged == null ? "" : staged.version(), store.size(), downloadsStarted,
                resumes, resumedFromByte);
    }

    /** Whether an update is under way (a queue-mode device stays awake meanwhile). */
    public synchronized boolean busy() {
        return state == FirmwareStatus.DOWNLOADING || state == FirmwareStatus.UPDATING;
    }

    /** The device lost power: an unfinished download stops where it is, and resumes after {@link #connected()}. */
    public synchronized void powerLost() {
        if (download != null) {
            download.cancel();
            download = null;
            generation++;
        }
    }

    /** The device is connected to its server again: resume an interrupted pull download. */
    public void connected() {
        synchronized (this) {
            if (state != FirmwareStatus.DOWNLOADING || !pulling || download != null) {
                return;
            }
            resumes++;
            resumedFromByte = store.size();
            LOG.info("{} resumes downloading {} from byte {}", device, packageUri, store.size());
            startDownload(store.size());
        }
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        return switch (resourceId) {
            case PACKAGE_URI -> ReadResponse.success(resourceId, packageUri);
            case STATE -> ReadResponse.success(resourceId, state);
            case UPDATE_RESULT -> ReadResponse.success(resourceId, result);
            case PKG_NAME -> ReadResponse.success(resourceId, staged == null ? "" : staged.packageName());
            case PKG_VERSION -> ReadResponse.success(resourceId, staged == null ? "" : staged.version());
            case PROTOCOL_SUPPORT -> ReadResponse.success(resourceId, settings.coapAllowed()
                    ? Map.of(0, (long) PROTOCOL_COAP, 1, (long) PROTOCOL_COAPS) : Map.of(0, (long) PROTOCOL_COAPS),
                    Type.INTEGER);
            case DELIVERY_METHOD -> ReadResponse.success(resourceId, settings.delivery().code());
            case PACKAGE -> ReadResponse.methodNotAllowed();
            default -> super.read(identity, resourceId);
        };
    }

    @Override
    public WriteResponse write(ServerIdentity identity, boolean replace, int resourceId, LwM2mResource value) {
        WriteResponse response;
        synchronized (this) {
            response = switch (resourceId) {
                case PACKAGE_URI -> writePackageUri(value);
                case PACKAGE -> writePackage(value);
                default -> super.write(identity, replace, resourceId, value);
            };
        }
        changed();
        return response;
    }

    @Override
    public ExecuteResponse execute(ServerIdentity identity, int resourceId, String params) {
        if (resourceId != UPDATE) {
            return super.execute(identity, resourceId, params);
        }
        synchronized (this) {
            if (state != FirmwareStatus.DOWNLOADED) {
                return ExecuteResponse.badRequest("nothing to install: State is " + FirmwareStatus.stateName(state)
                        + ", Update needs a downloaded package");
            }
            state = FirmwareStatus.UPDATING;
            long current = ++generation;
            LOG.info("{} installing firmware {}", device, staged.version());
            scheduler.schedule(() -> install(current), settings.installTime().toMillis(), TimeUnit.MILLISECONDS);
        }
        changed();
        return ExecuteResponse.success();
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return RESOURCES;
    }

    private WriteResponse writePackageUri(LwM2mResource value) {
        if (value.getType() != Type.STRING || value.isMultiInstances()) {
            return WriteResponse.badRequest("Package URI must be a string");
        }
        String uri = ((String) value.getValue()).strip();
        if (uri.isEmpty()) {
            reset("the Package URI was cleared");
            return WriteResponse.success();
        }
        if (!settings.delivery().allowsPull()) {
            return WriteResponse.badRequest("this device accepts packages by push only (Package, /5/0/0)");
        }
        if (uri.equals(packageUri) && (state == FirmwareStatus.DOWNLOADING || state == FirmwareStatus.DOWNLOADED)) {
            // The same write again (a server that was not sure it arrived): nothing to restart.
            return WriteResponse.success();
        }
        if (state == FirmwareStatus.DOWNLOADING || state == FirmwareStatus.UPDATING) {
            return WriteResponse.badRequest("an update is under way (" + FirmwareStatus.stateName(state)
                    + "); write an empty Package URI to cancel it first");
        }
        if (uri.length() > MAX_URI_LENGTH) {
            return WriteResponse.badRequest("Package URI is longer than " + MAX_URI_LENGTH + " characters");
        }
        clear();
        packageUri = uri;
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            fail(RESULT_INVALID_URI, "Package URI '" + uri + "' is not a URI");
            return WriteResponse.success();
        }
        state = FirmwareStatus.DOWNLOADING;
        pulling = true;
        downloadsStarted++;
        startDownload(0);
        return WriteResponse.success();
    }

    private WriteResponse writePackage(LwM2mResource value) {
        if (value.getType() != Type.OPAQUE || value.isMultiInstances()) {
            return WriteResponse.badRequest("Package must be opaque bytes");
        }
        byte[] bytes = (byte[]) value.getValue();
        if (bytes.length == 0) {
            reset("an empty Package was written");
            return WriteResponse.success();
        }
        if (!settings.delivery().allowsPush()) {
            return WriteResponse.badRequest("this device fetches packages by pull only (Package URI, /5/0/1)");
        }
        if (state == FirmwareStatus.DOWNLOADING || state == FirmwareStatus.UPDATING) {
            return WriteResponse.badRequest("an update is under way (" + FirmwareStatus.stateName(state)
                    + "); write an empty Package URI to cancel it first");
        }
        clear();
        LOG.info("{} received a {}-byte package by push", device, bytes.length);
        if (settings.failure() == FirmwareFailure.OUT_OF_STORAGE || !store.write(0, bytes)) {
            fail(RESULT_NO_FLASH, "a " + bytes.length + "-byte package does not fit in " + store.capacity() + " bytes");
            return WriteResponse.success();
        }
        state = FirmwareStatus.DOWNLOADING;
        long current = generation;
        scheduler.execute(() -> verify(current));
        return WriteResponse.success();
    }

    /** Starts (or resumes) the pull download of {@link #packageUri}; called with the lock held. */
    private void startDownload(long offset) {
        long current = ++generation;
        download = host.download(URI.create(packageUri), offset, offset == 0 ? null : etag, new DownloadSink(current));
    }

    /** Receives the blocks of the download of one generation; ignores everything once it is stale. */
    private final class DownloadSink implements PackageDownload.Sink {

        private final long of;

        DownloadSink(long of) {
            this.of = of;
        }

        @Override
        public boolean accept(long offset, byte[] data, long total, byte[] blockEtag, boolean last) {
            boolean powerCut = false;
            synchronized (FirmwareUpdateInstance.this) {
                if (of != generation) {
                    return false;
                }
                if (settings.failure() == FirmwareFailure.OUT_OF_STORAGE || total > store.capacity()
                        || !store.write(offset, data)) {
                    download = null;
                    fail(RESULT_NO_FLASH, "the package (" + (total < 0 ? "size unknown" : total + " bytes")
                            + ") does not fit in " + store.capacity() + " bytes");
                } else {
                    etag = blockEtag;
                    if (total >= 0) {
                        expectedSize = total;
                    }
                    boolean halfWay = !last && (expectedSize > 0 ? store.size() * 2L >= expectedSize
                            : store.size() >= 8L * data.length);
                    if (halfWay && settings.failure() == FirmwareFailure.CONNECTION_LOST) {
                        download = null;
                        fail(PackageDownload.Failure.CONNECTION_LOST.updateResult(), "the link dropped at byte "
                                + store.size() + " (simulated)");
                    } else if (halfWay && settings.failure() == FirmwareFailure.REBOOT_MID_DOWNLOAD && !powerCutDone) {
                        powerCutDone = true;
                        download = null;
                        generation++;
                        powerCut = true;
                        LOG.info("{} loses power at byte {} of its download (simulated)", device, store.size());
                    } else {
                        return true;
                    }
                }
            }
            if (powerCut) {
                host.powerCut();
            } else {
                changed();
            }
            return false;
        }

        @Override
        public void completed() {
            synchronized (FirmwareUpdateInstance.this) {
                if (of != generation) {
                    return;
                }
                download = null;
                pulling = false;
            }
            verify(of);
        }

        @Override
        public void failed(PackageDownload.Failure failure, String detail) {
            synchronized (FirmwareUpdateInstance.this) {
                if (of != generation) {
                    return;
                }
                download = null;
                fail(failure.updateResult(), detail);
            }
            changed();
        }
    }

    /** Checks the stored package and makes it Downloaded, or fails with 5 or 6. */
    private void verify(long of) {
        synchronized (this) {
            if (of != generation || state != FirmwareStatus.DOWNLOADING) {
                return;
            }
            byte[] bytes = store.bytes();
            if (settings.failure() == FirmwareFailure.INTEGRITY && bytes.length > 0) {
                bytes[bytes.length - 1] ^= 0x5a;
            }
            try {
                FirmwarePackage received = FirmwarePackage.decode(bytes);
                if (!received.model().equals(model)) {
                    fail(RESULT_UNSUPPORTED_TYPE, "the package is for model '" + received.model() + "', this device is '"
                            + model + "'");
                } else {
                    staged = received;
                    state = FirmwareStatus.DOWNLOADED;
                    LOG.info("{} downloaded firmware {} ({} bytes, SHA-256 verified)", device, received.version(),
                            bytes.length);
                }
            } catch (FirmwarePackage.PackageException e) {
                fail(e.kind() == FirmwarePackage.PackageException.Kind.INTEGRITY ? RESULT_INTEGRITY
                        : RESULT_UNSUPPORTED_TYPE, e.getMessage());
            }
        }
        changed();
    }

    private void install(long of) {
        String version;
        synchronized (this) {
            if (of != generation || state != FirmwareStatus.UPDATING) {
                return;
            }
            if (settings.failure() == FirmwareFailure.UPDATE_FAILED) {
                state = FirmwareStatus.DOWNLOADED;
                result = RESULT_UPDATE_FAILED;
                LOG.warn("{}: installing firmware {} failed (simulated)", device, staged.version());
                version = null;
            } else {
                version = staged.version();
                LOG.info("{} installed firmware {}; rebooting into it", device, version);
            }
        }
        if (version == null) {
            changed();
        } else {
            host.installed(version);
        }
    }

    /**
     * The device is rebooting: an installed update takes effect now. Returns the version it boots into, or
     * {@code null} if no update was waiting. Called between stopping and starting the device.
     */
    public String bootIntoInstalled() {
        String version;
        synchronized (this) {
            if (state != FirmwareStatus.UPDATING || staged == null) {
                return null;
            }
            version = staged.version();
            generation++;
            state = FirmwareStatus.IDLE;
            result = RESULT_SUCCESS;
            packageUri = "";
            store.clear();
        }
        changed();
        return version;
    }

    /** Back to Idle with Update Result 0, forgetting any package (a cancel). Called with the lock held. */
    private void reset(String why) {
        if (state != FirmwareStatus.IDLE || result != RESULT_INITIAL) {
            LOG.info("{} firmware update reset: {}", device, why);
        }
        clear();
        state = FirmwareStatus.IDLE;
        result = RESULT_INITIAL;
    }

    /** Forgets any download and package. Called with the lock held. */
    private void clear() {
        if (download != null) {
            download.cancel();
            download = null;
        }
        generation++;
        pulling = false;
        etag = null;
        expectedSize = -1;
        staged = null;
        packageUri = "";
        store.clear();
        result = RESULT_INITIAL;
    }

    /** Idle with an Update Result that says what went wrong. Called with the lock held. */
    private void fail(int updateResult, String detail) {
        LOG.warn("{} firmware update failed ({}): {}", device, FirmwareStatus.resultName(updateResult), detail);
        generation++;
        pulling = false;
        store.clear();
        staged = null;
        state = FirmwareStatus.IDLE;
        result = updateResult;
    }

    private void changed() {
        fireResourcesChange(getResourcePaths(PACKAGE_URI, STATE, UPDATE_RESULT, PKG_NAME, PKG_VERSION));
        FirmwareStatus now;
        synchronized (this) {
            now = status();
            if (announced != null && announced.state() == now.state() && announced.updateResult() == now.updateResult()
                    && announced.packageVersion().equals(now.packageVersion())) {
                return;
            }
            announced = now;
        }
        host.statusChanged(now);
    }

    /** The device's "flash" for one package. */
    private static final class PackageStore {

        private final long capacity;
        private byte[] bytes = new byte[0];
        private int size;

        PackageStore(long capacity) {
            this.capacity = capacity;
        }

        long capacity() {
            return capacity;
        }

        int size() {
            return size;
        }

        /** Writes at {@code offset}, dropping what was stored beyond it; {@code false} if it does not fit. */
        boolean write(long offset, byte[] data) {
            long end = offset + data.length;
            if (offset > size || end > capacity) {
                return false;
            }
            if (end > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(capacity, Math.max(end, bytes.length * 2L)));
            }
            System.arraycopy(data, 0, bytes, (int) offset, data.length);
            size = (int) end;
            return true;
        }

        byte[] bytes() {
            return Arrays.copyOf(bytes, size);
        }

        void clear() {
            bytes = new byte[0];
            size = 0;
        }
    }
}
