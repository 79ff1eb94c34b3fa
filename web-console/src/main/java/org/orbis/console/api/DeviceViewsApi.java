package org.orbis.console.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.server.views.DeviceViewDelivery;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.NewCommand;
import org.orbis.world.graph.Device;
import org.orbis.world.views.DeviceView;
import org.orbis.world.views.ViewDefinition;

/**
 * {@code /api/devices/{endpoint}/views}: the views a device is given, delivered to its World View object (33100).
 * A device gets either a shared view by name, or a view of its own from a query in which {@code $self} stands for the
 * device ({@code within 2 of $self via in and path=*&#47;3303/*&#47;5700}: the temperatures of its zone, wherever it
 * is moved).
 */
final class DeviceViewsApi {

    private static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(500);

    private final OrbisPlatform platform;

    DeviceViewsApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record AssignBody(String query, String minInterval) {
    }

    record DeviceViewView(String endpoint, String view, String query, int instance, String path, long minIntervalMs,
            boolean ownView, boolean delivered, Instant lastSentAt) {
        static DeviceViewView of(DeviceView view, String query) {
            return new DeviceViewView(view.endpoint(), view.viewName(), query, view.instanceId(),
                    "/" + DeviceViewDelivery.WORLD_VIEW_OBJECT + "/" + view.instanceId(), view.minInterval().toMillis(),
                    view.ownedView(), !view.isBehind(), view.lastSentAt());
        }
    }

    void assign(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        String name = ctx.pathParam("name");
        AssignBody body = ctx.body().isBlank() ? new AssignBody(null, null) : Json.parse(ctx.body(), AssignBody.class);
        Duration minInterval = body.minInterval() == null ? DEFAULT_MIN_INTERVAL : CommandsApi.duration(body.minInterval());
        String viewName;
        boolean owned = body.query() != null;
        try {
            if (owned) {
                viewName = ownViewName(name, device.endpoint());
                String query = body.query().replace("$self", device.key().value());
                platform.services().views().define(viewName, query, "view of " + device.endpoint() + " (" + name + ")");
            } else {
                ViewDefinition.requireValidName(name);
                viewName = name;
                if (platform.services().views().view(name).isEmpty()) {
                    throw ApiException.notFound("no view '" + name + "'; define it with PUT /api/views/" + name
                            + " or give a query in the body to make the device a view of its own");
                }
            }
            DeviceView assigned = platform.deviceViews().assign(device.endpoint(), viewName, minInterval, owned,
                    platform.feed().head());
            ctx.json(DeviceViewView.of(assigned, platform.services().views().view(viewName).orElseThrow().query()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    void list(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        List<DeviceViewView> views = platform.deviceViews().forDevice(device.endpoint()).stream()
                .map(view -> DeviceViewView.of(view, platform.services().views().view(view.viewName())
                        .map(ViewDefinition::query).orElse(null)))
                .toList();
        ctx.json(java.util.Map.of("views", views));
    }

    void remove(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        String name = ctx.pathParam("name");
        String candidate = platform.deviceViews().forDevice(device.endpoint()).stream()
                .map(DeviceView::viewName)
                .filter(viewName -> viewName.equals(name) || viewName.equals(ownViewName(name, device.endpoint())))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("device '" + device.endpoint() + "' has no view '" + name + "'"));
        DeviceView removed = platform.deviceViews().remove(device.endpoint(), candidate).orElseThrow();
        if (removed.ownedView()) {
            platform.services().views().delete(candidate);
        }
        platform.dmServer().commands().queue(new NewCommand(device.endpoint(), CommandKind.DELETE,
                "/" + DeviceViewDelivery.WORLD_VIEW_OBJECT + "/" + removed.instanceId(), null, DeviceViewDelivery.VIEW_PRIORITY,
                "view:/" + DeviceViewDelivery.WORLD_VIEW_OBJECT + "/" + removed.instanceId(), "view",
                Duration.ofDays(7), NewCommand.DEFAULT_MAX_ATTEMPTS));
        ctx.status(204);
    }

    /** A device's own view is stored under a name of its own: {@code <name>.<endpoint>}. */
    static String ownViewName(String name, String endpoint) {
        return ViewDefinition.requireValidName(name) + "." + endpoint.replaceAll("[^A-Za-z0-9._:\\-]", "_");
    }
}
