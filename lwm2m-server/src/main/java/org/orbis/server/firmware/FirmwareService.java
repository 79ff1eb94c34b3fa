package org.orbis.server.firmware;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.security.SecurityStore;
import org.orbis.server.commands.CommandDispatcher;
import org.orbis.server.operations.OperationException;
import org.orbis.world.commands.CommandStore;
import org.orbis.world.firmware.Campaign;
import org.orbis.world.firmware.CampaignDevice;
import org.orbis.world.firmware.CampaignPolicy;
import org.orbis.world.firmware.CampaignProgress;
import org.orbis.world.firmware.CampaignState;
import org.orbis.world.firmware.CampaignStore;
import org.orbis.world.firmware.Delivery;
import org.orbis.world.firmware.DeviceFirmware;
import org.orbis.world.firmware.DeviceUpdateState;
import org.orbis.world.firmware.FirmwareImage;
import org.orbis.world.firmware.FirmwareRejectedException;
import org.orbis.world.firmware.FirmwareStore;
import org.orbis.world.firmware.NewCampaign;
import org.orbis.world.firmware.NewImage;
import org.orbis.world.store.WorldStore;
import org.eclipse.californium.core.CoapServer;

/**
 * Firmware updates on the DM server: the package repository, the {@code /fw} resource devices pull packages from, and
 * the campaigns that roll them out through each device's command queue. What the HTTP API calls. Thread-safe.
 */
public final class FirmwareService implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FirmwareSettings settings;
    private final FirmwareStore images;
    private final CampaignStore campaigns;
    private final PackageCache cache;
    private final PackageAccess access;
    private final CampaignRunner runner;
    private final ExecutorService slowPath;
    private final String publicHost;
    private final IntSupplier securePort;
    private final ZoneDirectory zones;

    /**
     * @param registrations finds the registration made with a DTLS identity (for package downloads)
     * @param publicHost the host devices reach the DM server at, for Package URIs
     * @param securePort the DM server's DTLS port, once it is bound
     * @param zones the devices of a zone, for zone targets
     */
    public FirmwareService(FirmwareSettings settings, WorldStore world, CommandStore commands,
            CommandDispatcher dispatcher, CoapServer coap, Function<Identity, Registration> registrations,
            SecurityStore security, String publicHost, IntSupplier securePort, ZoneDirectory zones) {
        this.settings = settings;
        this.publicHost = publicHost;
        this.securePort = securePort;
        this.zones = zones;
        Clock clock = world.clock();
        this.images = new FirmwareStore(world.database(), clock);
        this.campaigns = new CampaignStore(world);
        this.cache = new PackageCache(images, settings.cacheBytes());
        this.access = new PackageAccess(campaigns, registrations, security);
        AtomicInteger threads = new AtomicInteger();
        this.slowPath = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "orbis-firmware-io-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        DeviceSteps steps = new DeviceSteps(world, campaigns, commands, access, this::packageUri, dispatcher::wake, clock,
                settings.pollInterval());
        this.runner = new CampaignRunner(world, campaigns, images, steps, access, clock, settings.tick(),
                settings.pollInterval());
        dispatcher.packageSource(imageId -> cache.load(imageId).map(PackageCache.CachedPackage::content)
                .orElseThrow(() -> new OperationException(OperationException.Reason.INVALID_REQUEST,
                        "firmware image " + imageId + " no longer exists")));
        coap.add(new PackageResource(cache, access, slowPath));
    }

    /** Resumes the campaigns a previous run left open. */
    public void start() {
        runner.start();
    }

    /**
     * Stores an uploaded package after checking it: its SHA-256 must be the one given, its size within the limit, and
     * if it is an Orbis package its header must name the same model and version as the upload.
     *
     * @throws FirmwareRejectedException saying what is wrong; nothing is stored then
     */
    public FirmwareImage upload(NewImage image, InputStream content) {
        byte[] head;
        try {
            head = content.readNBytes(PackageHeader.MAX_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the uploaded package failed: " + e.getMessage(), e);
        }
        Optional<PackageHeader> header = PackageHeader.read(head);
        if (header.isPresent() && (!header.get().model().equals(image.model())
                || !header.get().version().equals(image.version()))) {
            throw new FirmwareRejectedException(FirmwareRejectedException.Reason.MISMATCH, "the package's header says "
                    + "model '" + header.get().model() + "' version '" + header.get().version() + "', the upload says "
                    + "model '" + image.model() + "' version '" + image.version() + "'");
        }
        return images.store(image, new SequenceInputStream(new ByteArrayInputStream(head), content),
                settings.maxPackageBytes());
    }

    public long maxPackageBytes() {
        return settings.maxPackageBytes();
    }

    public List<FirmwareImage> images() {
        return images.images();
    }

    public Optional<FirmwareImage> image(long id) {
        return images.image(id);
    }

    public Optional<byte[]> content(long id) {
        return cache.load(id).map(PackageCache.CachedPackage::content);
    }

    /** Deletes an image no campaign uses; see {@link FirmwareStore#delete}. */
    public boolean delete(long id) {
        boolean deleted = images.delete(id);
        cache.forget(id);
        return deleted;
    }

    /**
     * Creates a running campaign over the devices {@code target} selects.
     *
     * @throws IllegalArgumentException if the image is unknown, the target selects nothing, names unknown devices or
     *         devices of another model
     * @throws IllegalStateException if some devices are in another campaign that has not finished
     */
    public Campaign createCampaign(String name, long imageId, Delivery delivery, TargetQuery target,
            CampaignPolicy policy) {
        FirmwareImage image = images.image(imageId)
                .orElseThrow(() -> new IllegalArgumentException("no firmware image " + imageId));
        List<String> endpoints = targets(image, target);
        String description;
        try {
            description = MAPPER.writeValueAsString(target);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Campaign campaign = campaigns.create(new NewCampaign(name == null || name.isBlank()
                ? image.model() + " " + image.version() : name.strip(), imageId, delivery, description, policy), endpoints);
        runner.nudge();
        return campaign;
    }

    /**
     * The devices a campaign of {@code image} over {@code target} would update, in rollout order. Devices listed by
     * endpoint are taken whatever they reported (unless it is another model); devices selected by a zone or by the
     * whole fleet must report the image's model.
     */
    public List<String> targets(FirmwareImage image, TargetQuery target) {
        String model = target.model() != null ? target.model() : image.model();
        if (!model.equals(image.model())) {
            throw new IllegalArgumentException("the image is for model '" + image.model() + "', not '" + model + "'");
        }
        if (target.zone() != null) {
            Set<String> inZone = new HashSet<>(zones.devicesIn(target.zone()));
            List<String> among = target.endpoints() != null ? target.endpoints().stream().filter(inZone::contains)
                    .toList() : inZone.stream().sorted().toList();
            if (among.isEmpty()) {
                throw new IllegalArgumentException("no device is placed in " + target.zone()
                        + (target.endpoints() == null ? "" : " among the " + target.endpoints().size() + " listed"));
            }
            return select(image, model, target, campaigns.deviceFirmware(among), among, false);
        }
        List<DeviceFirmware> found = campaigns.deviceFirmware(target.endpoints());
        if (target.endpoints() != null) {
            Set<String> known = found.stream().map(DeviceFirmware::endpoint).collect(Collectors.toSet());
            List<String> unknown = target.endpoints().stream().filter(endpoint -> !known.contains(endpoint)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("not provisioned: " + String.join(", ", unknown));
            }
            List<String> otherModel = found.stream().filter(device -> device.model() != null
                    && !device.model().equals(model)).map(device -> device.endpoint() + " (" + device.model() + ")")
                    .toList();
            if (!otherModel.isEmpty()) {
                throw new IllegalArgumentException("the image is for model '" + model + "'; these devices are another "
                        + "model: " + String.join(", ", otherModel));
            }
        }
        return select(image, model, target, found, target.endpoints() != null ? target.endpoints()
                : found.stream().map(DeviceFirmware::endpoint).toList(), target.endpoints() != null);
    }

    private static List<String> select(FirmwareImage image, String model, TargetQuery target, List<DeviceFirmware> found,
            List<String> order, boolean listed) {
        Map<String, DeviceFirmware> byEndpoint = found.stream()
                .collect(Collectors.toMap(DeviceFirmware::endpoint, device -> device, (a, b) -> a));
        List<String> selected = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String endpoint : order) {
            DeviceFirmware device = byEndpoint.get(endpoint);
            if (device == null) {
                continue;
            }
            boolean modelMatches = model.equals(device.model()) || device.model() == null && listed;
            boolean versionMatches = target.versions().isEmpty()
                    || device.version() != null && target.versions().contains(device.version());
            if (modelMatches && versionMatches && !image.version().equals(device.version()) && seen.add(endpoint)) {
                selected.add(endpoint);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no device matches: none of model '" + model + "'"
                    + (target.versions().isEmpty() ? "" : " on version " + String.join(" or ", target.versions()))
                    + (target.zone() == null ? "" : " in " + target.zone())
                    + (target.endpoints() == null ? "" : " among the " + target.endpoints().size() + " listed")
                    + " still needs version " + image.version());
        }
        return selected;
    }

    public Optional<Campaign> campaign(long id) {
        return campaigns.campaign(id);
    }

    public List<Campaign> campaigns(CampaignState state, int offset, int limit) {
        return campaigns.campaigns(state, offset, limit);
    }

    public CampaignProgress progress(long campaignId) {
        return campaigns.progress(campaignId);
    }

    public List<CampaignDevice> devices(long campaignId, DeviceUpdateState state, int offset, int limit) {
        return campaigns.devices(campaignId, state, offset, limit);
    }

    public Campaign pause(long campaignId) {
        return runner.pause(campaignId);
    }

    public Campaign resume(long campaignId) {
        return runner.resume(campaignId);
    }

    public Campaign abort(long campaignId) {
        return runner.abort(campaignId, "aborted by an operator");
    }

    /** Bytes of package served to a device during its current transfer by pull, -1 if unknown. */
    public long bytesServed(String endpoint) {
        return access.bytesServed(endpoint);
    }

    public TransferStats transferStats() {
        return access.stats();
    }

    /** Where devices pull image {@code id} from: {@code coaps://<public host>:<port>/fw/<id>}. */
    public String packageUri(long imageId) {
        String host = Objects.requireNonNull(publicHost);
        return "coaps://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + securePort.getAsInt() + "/"
                + PackageResource.NAME + "/" + imageId;
    }

    @Override
    public void close() {
        runner.close();
        slowPath.shutdownNow();
    }
}
