package org.orbis.console.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.server.commands.CommandRequest;
import org.orbis.server.operations.OperationException;
import org.orbis.world.commands.Command;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.CommandQuery;
import org.orbis.world.commands.CommandStateException;
import org.orbis.world.commands.CommandStatus;
import org.orbis.world.commands.DesiredPage;
import org.orbis.world.commands.DesiredValue;
import org.orbis.world.graph.Device;

/**
 * Handlers of the durable command queue and desired values: {@code /api/devices/{endpoint}/commands},
 * {@code /api/commands/{id}}, {@code /api/devices/{endpoint}/desired} and {@code /api/desired/out-of-sync}. Queueing
 * answers 202: the command is accepted and delivered whenever the device is reachable.
 */
final class CommandsApi {

    private final OrbisPlatform platform;

    CommandsApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record CommandBody(String kind, String path, JsonNode value, String arguments, Map<Integer, JsonNode> resources,
            Integer priority, String expiresIn, Integer maxAttempts) {
    }

    record DesiredBody(String path, JsonNode value, String expiresIn) {
    }

    record CommandView(long id, String endpoint, String kind, String path, String status, int priority, String origin,
            int attempts, int maxAttempts, Instant createdAt, Instant expiresAt, Instant notBefore, Instant updatedAt,
            String responseCode, @JsonRawValue String response, @JsonRawValue String payload) {
        static CommandView of(Command command) {
            return new CommandView(command.id(), command.endpoint(), command.kind().name().toLowerCase(Locale.ROOT),
                    command.path(), command.status().label(), command.priority(), command.origin(), command.attempts(),
                    command.maxAttempts(), command.createdAt(), command.expiresAt(), command.notBefore(),
                    command.updatedAt(), command.responseCode(), command.response(), command.payload());
        }
    }

    record CommandListView(List<CommandView> commands, int offset, int limit) {
    }

    record DesiredView(String endpoint, String path, String key, String type, Object value, long revision,
            boolean inSync, Instant setAt, Instant syncedAt, Long commandId) {
        static DesiredView of(DesiredValue desired) {
            return new DesiredView(desired.endpoint(), desired.path().toString(), desired.key().value(),
                    desired.value().type().name(), desired.value().json(), desired.revision(), desired.inSync(),
                    desired.setAt(), desired.syncedAt(), desired.commandId());
        }
    }

    record DesiredListView(List<DesiredView> desired, long total, int offset, int limit) {
    }

    void queue(Context ctx) {
        Device device = requireDevice(ctx);
        CommandBody body = Json.parse(ctx.body(), CommandBody.class);
        if (body.kind() == null || body.path() == null) {
            throw ApiException.badRequest("fields 'kind' and 'path' are required, e.g. {\"kind\":\"write\","
                    + "\"path\":\"/3311/0/5850\",\"value\":true}");
        }
        CommandKind kind;
        try {
            kind = CommandKind.valueOf(body.kind().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown command kind '" + body.kind()
                    + "': use read, write, execute, create, delete, observe or cancel_observe");
        }
        Map<Integer, Object> resources = null;
        if (body.resources() != null) {
            resources = new LinkedHashMap<>();
            for (Map.Entry<Integer, JsonNode> entry : body.resources().entrySet()) {
                resources.put(entry.getKey(), Requests.scalar(entry.getValue(), "resources." + entry.getKey()));
            }
        }
        Object value = kind == CommandKind.WRITE ? Requests.scalar(body.value(), "value") : null;
        CommandRequest request = new CommandRequest(device.endpoint(), kind, body.path(), value, body.arguments(),
                resources, body.priority() == null ? 0 : body.priority(), duration(body.expiresIn()), body.maxAttempts());
        Command command;
        try {
            command = platform.dmServer().commands().queue(request);
        } catch (OperationException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ctx.status(202).header("Location", "/api/commands/" + command.id()).json(CommandView.of(command));
    }

    void listForDevice(Context ctx) {
        Device device = requireDevice(ctx);
        ctx.json(list(device.endpoint(), ctx));
    }

    void listAll(Context ctx) {
        ctx.json(list(null, ctx));
    }

    void get(Context ctx) {
        ctx.json(CommandView.of(requireCommand(ctx)));
    }

    void cancel(Context ctx) {
        Command command = requireCommand(ctx);
        try {
            ctx.json(CommandView.of(platform.dmServer().commands().cancel(command.id())));
        } catch (CommandStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    void setDesired(Context ctx) {
        Device device = requireDevice(ctx);
        DesiredBody body = Json.parse(ctx.body(), DesiredBody.class);
        String path = Requests.requirePath(body.path());
        Object value = Requests.scalar(body.value(), "value");
        DesiredValue desired;
        try {
            desired = platform.dmServer().commands().setDesired(device.endpoint(), path, value, duration(body.expiresIn()));
        } catch (OperationException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ctx.status(desired.inSync() ? 200 : 202).json(DesiredView.of(desired));
    }

    void listDesired(Context ctx) {
        Device device = requireDevice(ctx);
        List<DesiredView> values = platform.dmServer().desiredStore().forDevice(device.endpoint()).stream()
                .map(DesiredView::of).toList();
        ctx.json(new DesiredListView(values, values.size(), 0, values.size()));
    }

    void clearDesired(Context ctx) {
        Device device = requireDevice(ctx);
        String path = Requests.requirePath(ctx.queryParam("path"));
        boolean cleared;
        try {
            cleared = platform.dmServer().commands().clearDesired(device.endpoint(), path);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!cleared) {
            throw ApiException.notFound("device '" + device.endpoint() + "' has no desired value for " + path);
        }
        ctx.status(204);
    }

    void outOfSync(Context ctx) {
        int offset = Requests.intParam(ctx, "offset", 0);
        int limit = Requests.intParam(ctx, "limit", 100);
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw ApiException.badRequest("offset must be 0 or more and limit between 1 and 1000");
        }
        DesiredPage page = platform.dmServer().desiredStore().outOfSync(offset, limit);
        ctx.json(new DesiredListView(page.values().stream().map(DesiredView::of).toList(), page.total(), offset, limit));
    }

    private CommandListView list(String endpoint, Context ctx) {
        String statusParam = ctx.queryParam("status");
        CommandQuery query;
        try {
            CommandStatus status = statusParam == null || statusParam.isBlank() ? null : CommandStatus.fromLabel(statusParam);
            query = new CommandQuery(endpoint, status, Requests.intParam(ctx, "offset", 0),
                    Requests.intParam(ctx, "limit", 100));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<CommandView> commands = platform.dmServer().commandStore().list(query).stream().map(CommandView::of).toList();
        return new CommandListView(commands, query.offset(), query.limit());
    }

    private Command requireCommand(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("command id must be a number, not '" + ctx.pathParam("id") + "'");
        }
        return platform.dmServer().commandStore().get(id)
                .orElseThrow(() -> ApiException.notFound("no command " + id));
    }

    private Device requireDevice(Context ctx) {
        return Requests.requireDevice(platform, ctx.pathParam("endpoint"));
    }

    /** {@code 90} (seconds), {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 {@code PT10M}; {@code null} → default. */
    static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration parsed;
            if (value.startsWith("p")) {
                parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (value.matches("\\d+")) {
                parsed = Duration.ofSeconds(Long.parseLong(value));
            } else if (value.matches("\\d+(ms|s|m|h|d)")) {
                long amount = Long.parseLong(value.replaceAll("[a-z]+$", ""));
                String unit = value.replaceAll("^\\d+", "");
                parsed = switch (unit) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                throw new DateTimeParseException("not a duration", text, 0);
            }
            if (parsed.isZero() || parsed.isNegative()) {
                throw ApiException.badRequest("expiresIn must be positive, not '" + text + "'");
            }
            return parsed;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest("expiresIn '" + text + "' is not a duration: use seconds, 30s, 10m, 2h, 1d or PT10M");
        }
    }
}
