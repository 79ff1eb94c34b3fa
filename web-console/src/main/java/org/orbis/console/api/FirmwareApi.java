package org.orbis.console.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.server.firmware.FirmwareService;
import org.orbis.server.firmware.TargetQuery;
import org.orbis.world.firmware.Campaign;
import org.orbis.world.firmware.CampaignDevice;
import org.orbis.world.firmware.CampaignPolicy;
import org.orbis.world.firmware.CampaignProgress;
import org.orbis.world.firmware.CampaignState;
import org.orbis.world.firmware.Delivery;
import org.orbis.world.firmware.DeviceUpdateState;
import org.orbis.world.firmware.FirmwareImage;
import org.orbis.world.firmware.FirmwareRejectedException;
import org.orbis.world.firmware.NewImage;

/**
 * Handlers of firmware images ({@code /api/firmware}) and campaigns ({@code /api/campaigns}). An upload is the raw
 * package as the request body, streamed into the database with its model, version and SHA-256 as query parameters;
 * a campaign is created from a JSON target and policy and then runs by itself.
 */
final class FirmwareApi {

    private final OrbisPlatform platform;

    FirmwareApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record TargetBody(String model, List<String> versions, List<String> endpoints, String zone) {
    }

    record PolicyBody(Integer batchSize, Integer concurrency, Integer ratePerMinute, Double failureThreshold,
            Integer maxAttempts, String retryBackoff, String deviceTimeout) {
    }

    record CampaignBody(String name, Long image, String delivery, TargetBody target, PolicyBody policy) {
    }

    record ImageView(long id, String model, String version, String name, long size, String sha256, Instant createdAt,
            String packageUri) {
        static ImageView of(FirmwareImage image, FirmwareService firmware) {
            return new ImageView(image.id(), image.model(), image.version(), image.name(), image.size(), image.sha256(),
                    image.createdAt(), firmware.packageUri(image.id()));
        }
    }

    record ImageListView(List<ImageView> images) {
    }

    record PolicyView(Integer batchSize, int concurrency, int ratePerMinute, double failureThreshold, int maxAttempts,
            long retryBackoffSeconds, long deviceTimeoutSeconds) {
        static PolicyView of(CampaignPolicy policy) {
            return new PolicyView(policy.batchSize() == CampaignPolicy.ALL ? null : policy.batchSize(),
                    policy.concurrency(), policy.ratePerMinute(), policy.failureThreshold(), policy.maxAttempts(),
                    policy.retryBackoff().toSeconds(), policy.deviceTimeout().toSeconds());
        }
    }

    record ProgressView(int total, int pending, int transferring, int updating, int waitingRetry, int succeeded,
            int failed, int cancelled, int percentDone) {
        static ProgressView of(CampaignProgress progress) {
            int done = progress.finished() + progress.cancelled();
            return new ProgressView(progress.total(), progress.pending(), progress.transferring(), progress.updating(),
                    progress.waitingRetry(), progress.succeeded(), progress.failed(), progress.cancelled(),
                    progress.total() == 0 ? 100 : done * 100 / progress.total());
        }
    }

    record CampaignView(long id, String name, long image, String version, String model, String delivery, String state,
            String reason, @JsonRawValue String target, PolicyView policy, ProgressView progress, Instant createdAt,
            Instant updatedAt, Instant finishedAt) {
    }

    record CampaignListView(List<CampaignView> campaigns, int offset, int limit) {
    }

    record DeviceView(String endpoint, int position, String state, String delivery, int attempts, String fromVersion,
            Integer updateResult, String detail, Long bytesServed, Instant startedAt, Instant notBefore,
            Instant finishedAt, Instant updatedAt) {
    }

    record DeviceListView(List<DeviceView> devices, int offset, int limit) {
    }

    void upload(Context ctx) {
        FirmwareService firmware = firmware();
        NewImage image;
        try {
            image = new NewImage(ctx.queryParam("model"), ctx.queryParam("version"), ctx.queryParam("name"),
                    ctx.queryParam("sha256"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage() + "; upload with POST /api/firmware?model=…&version=…&sha256=…"
                    + " and the package as the body (Content-Type: application/octet-stream)");
        }
        long declared = ctx.contentLength();
        if (declared > firmware.maxPackageBytes()) {
            throw new ApiException(413, "Package too large", "the package (" + declared + " bytes) is larger than the "
                    + "limit of " + firmware.maxPackageBytes() + " bytes");
        }
        FirmwareImage stored;
        try {
            stored = firmware.upload(image, ctx.bodyInputStream());
        } catch (FirmwareRejectedException e) {
            throw rejected(e);
        } catch (UncheckedIOException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ctx.status(201).header("Location", "/api/firmware/" + stored.id()).json(ImageView.of(stored, firmware));
    }

    void listImages(Context ctx) {
        FirmwareService firmware = firmware();
        ctx.json(new ImageListView(firmware.images().stream().map(image -> ImageView.of(image, firmware)).toList()));
    }

    void getImage(Context ctx) {
        ctx.json(ImageView.of(requireImage(ctx), firmware()));
    }

    void imageContent(Context ctx) {
        FirmwareImage image = requireImage(ctx);
        byte[] content = firmware().content(image.id())
                .orElseThrow(() -> ApiException.notFound("no firmware image " + image.id()));
        ctx.contentType("application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + image.model() + "-" + image.version() + ".bin\"")
                .result(content);
    }

    void deleteImage(Context ctx) {
        FirmwareImage image = requireImage(ctx);
        try {
            firmware().delete(image.id());
        } catch (FirmwareRejectedException e) {
            throw rejected(e);
        }
        ctx.status(204);
    }

    void createCampaign(Context ctx) {
        CampaignBody body = Json.parse(ctx.body(), CampaignBody.class);
        if (body.image() == null) {
            throw ApiException.badRequest("field 'image' (the firmware image id) is required, e.g. "
                    + "{\"image\":3,\"target\":{\"versions\":[\"1.0.0\"]},\"policy\":{\"concurrency\":10}}");
        }
        TargetBody target = body.target() == null ? new TargetBody(null, null, null, null) : body.target();
        Campaign campaign;
        try {
            Delivery delivery = body.delivery() == null ? Delivery.AUTO : Delivery.fromLabel(body.delivery());
            campaign = firmware().createCampaign(body.name(), body.image(), delivery,
                    new TargetQuery(target.model(), target.versions(), target.endpoints(), target.zone()),
                    policy(body.policy()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
        ctx.status(201).header("Location", "/api/campaigns/" + campaign.id()).json(view(campaign));
    }

    void listCampaigns(Context ctx) {
        String stateParam = ctx.queryParam("state");
        int offset = Requests.intParam(ctx, "offset", 0);
        int limit = Requests.intParam(ctx, "limit", 100);
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw ApiException.badRequest("offset must be 0 or more and limit between 1 and 1000");
        }
        CampaignState state;
        try {
            state = stateParam == null || stateParam.isBlank() ? null : CampaignState.fromLabel(stateParam);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ctx.json(new CampaignListView(firmware().campaigns(state, offset, limit).stream().map(this::view).toList(),
                offset, limit));
    }

    void getCampaign(Context ctx) {
        ctx.json(view(requireCampaign(ctx)));
    }

    void campaignDevices(Context ctx) {
        Campaign campaign = requireCampaign(ctx);
        String stateParam = ctx.queryParam("state");
        int offset = Requests.intParam(ctx, "offset", 0);
        int limit = Requests.intParam(ctx, "limit", 100);
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw ApiException.badRequest("offset must be 0 or more and limit between 1 and 1000");
        }
        DeviceUpdateState state;
        try {
            state = stateParam == null || stateParam.isBlank() ? null : DeviceUpdateState.fromLabel(stateParam);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        FirmwareService firmware = firmware();
        List<DeviceView> devices = firmware.devices(campaign.id(), state, offset, limit).stream()
                .map(device -> view(device, firmware)).toList();
        ctx.json(new DeviceListView(devices, offset, limit));
    }

    void pause(Context ctx) {
        act(ctx, firmware()::pause);
    }

    void resume(Context ctx) {
        act(ctx, firmware()::resume);
    }

    void abort(Context ctx) {
        act(ctx, firmware()::abort);
    }

    private void act(Context ctx, java.util.function.LongFunction<Campaign> action) {
        Campaign campaign = requireCampaign(ctx);
        try {
            ctx.json(view(action.apply(campaign.id())));
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    private static CampaignPolicy policy(PolicyBody body) {
        CampaignPolicy defaults = CampaignPolicy.defaults();
        if (body == null) {
            return defaults;
        }
        Duration backoff = CommandsApi.duration(body.retryBackoff());
        Duration timeout = CommandsApi.duration(body.deviceTimeout());
        return new CampaignPolicy(body.batchSize() == null ? defaults.batchSize() : body.batchSize(),
                body.concurrency() == null ? defaults.concurrency() : body.concurrency(),
                body.ratePerMinute() == null ? defaults.ratePerMinute() : body.ratePerMinute(),
                body.failureThreshold() == null ? defaults.failureThreshold() : body.failureThreshold(),
                body.maxAttempts() == null ? defaults.maxAttempts() : body.maxAttempts(),
                backoff == null ? defaults.retryBackoff() : backoff, timeout == null ? defaults.deviceTimeout() : timeout);
    }

    private CampaignView view(Campaign campaign) {
        FirmwareService firmware = firmware();
        FirmwareImage image = firmware.image(campaign.imageId()).orElse(null);
        return new CampaignView(campaign.id(), campaign.name(), campaign.imageId(), image == null ? null : image.version(),
                image == null ? null : image.model(), campaign.delivery().label(), campaign.state().label(),
                campaign.reason(), campaign.target(), PolicyView.of(campaign.policy()),
                ProgressView.of(firmware.progress(campaign.id())), campaign.createdAt(), campaign.updatedAt(),
                campaign.finishedAt());
    }

    private static DeviceView view(CampaignDevice device, FirmwareService firmware) {
        Long served = device.state() == DeviceUpdateState.TRANSFERRING && device.delivery() == Delivery.PULL
                ? Long.valueOf(firmware.bytesServed(device.endpoint())) : null;
        return new DeviceView(device.endpoint(), device.position(), device.state().label(),
                device.delivery() == null ? null : device.delivery().label(), device.attempts(), device.fromVersion(),
                device.resultCode(), device.detail(), served != null && served >= 0 ? served : null, device.startedAt(),
                device.notBefore(), device.finishedAt(), device.updatedAt());
    }

    private static ApiException rejected(FirmwareRejectedException e) {
        return switch (e.reason()) {
            case TOO_LARGE -> new ApiException(413, "Package too large", e.getMessage());
            case MISMATCH -> new ApiException(422, "Package does not match", e.getMessage(),
                    Map.of("reason", "mismatch"));
            case DUPLICATE, IN_USE -> ApiException.conflict(e.getMessage());
            case EMPTY -> ApiException.badRequest(e.getMessage());
        };
    }

    private FirmwareImage requireImage(Context ctx) {
        long id = id(ctx, "firmware image");
        return firmware().image(id).orElseThrow(() -> ApiException.notFound("no firmware image " + id));
    }

    private Campaign requireCampaign(Context ctx) {
        long id = id(ctx, "campaign");
        return firmware().campaign(id).orElseThrow(() -> ApiException.notFound("no campaign " + id));
    }

    private static long id(Context ctx, String what) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(what + " id must be a number, not '" + ctx.pathParam("id") + "'");
        }
    }

    private FirmwareService firmware() {
        return platform.dmServer().firmware();
    }
}
