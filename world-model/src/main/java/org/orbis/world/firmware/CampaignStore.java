package org.orbis.world.firmware;

import static org.orbis.world.firmware.CampaignRows.NullOf;
import static org.orbis.world.firmware.CampaignRows.orNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.FeedTransaction;
import org.orbis.world.store.JsonText;
import org.orbis.world.store.StoreException;
import org.orbis.world.store.WorldStore;

/**
 * Firmware campaigns and the state of each of their devices, durable so that a restarted server picks every update up
 * where it was. Storage only: the DM server's campaign runner decides the transitions. Every change of a device's
 * state appends a {@link ChangeEvent.Kind#FIRMWARE} event carrying the campaign's progress, and every change of the
 * campaign's own state one about {@code campaign/<id>}. Thread-safe.
 */
public final class CampaignStore {

    private static final int IN_CHUNK = 500;

    private final WorldStore world;

    public CampaignStore(WorldStore world) {
        this.world = world;
    }

    /**
     * Creates a running campaign over {@code endpoints}, in rollout order.
     *
     * @throws IllegalArgumentException if the image or a device does not exist, or there are no devices
     * @throws IllegalStateException listing the devices already in another campaign that has not finished
     */
    public Campaign create(NewCampaign campaign, List<String> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no device matches the campaign's target");
        }
        List<String> ordered = List.copyOf(new LinkedHashSet<>(endpoints));
        return world.inFeedTransaction(feed -> {
            Connection connection = feed.connection();
            try (PreparedStatement image = connection.prepareStatement("SELECT id FROM firmware_image WHERE id = ?")) {
                image.setLong(1, campaign.imageId());
                try (ResultSet rs = image.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no firmware image " + campaign.imageId());
                    }
                }
            }
            List<String> busy = inOpenCampaigns(connection, ordered);
            if (!busy.isEmpty()) {
                throw new IllegalStateException(busy.size() + " of the devices are in a campaign that has not finished: "
                        + busy.stream().limit(10).collect(Collectors.joining(", ")) + (busy.size() > 10 ? ", …" : ""));
            }
            Instant now = feed.now();
            long id = insertCampaign(connection, campaign, now);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO campaign_device (campaign_id, "
                    + "endpoint, position, state, attempts, updated_at) VALUES (?, ?, ?, 'PENDING', 0, ?)")) {
                for (int i = 0; i < ordered.size(); i++) {
                    CampaignRows.bind(insert, id, ordered.get(i), i, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState()) || e.getMessage().contains("Referential")) {
                    throw new IllegalArgumentException("a targeted device is not provisioned: " + e.getMessage());
                }
                throw e;
            }
            Campaign created = campaign(connection, id).orElseThrow();
            feed.append(campaignEvent(connection, created));
            return created;
        });
    }

    public Optional<Campaign> campaign(long id) {
        return world.database().read(connection -> campaign(connection, id));
    }

    /** Campaigns, newest first, optionally only in one state. */
    public List<Campaign> campaigns(CampaignState state, int offset, int limit) {
        String sql = "SELECT " + CampaignRows.CAMPAIGN_COLUMNS + " FROM firmware_campaign"
                + (state == null ? "" : " WHERE state = ?") + " ORDER BY id DESC LIMIT " + limit + " OFFSET " + offset;
        return world.database().read(connection -> campaigns(connection, sql,
                state == null ? new Object[0] : new Object[] {state.name()}));
    }

    /** Running and paused campaigns, oldest first. */
    public List<Campaign> openCampaigns() {
        return world.database().read(connection -> campaigns(connection, "SELECT " + CampaignRows.CAMPAIGN_COLUMNS
                + " FROM firmware_campaign WHERE state IN ('RUNNING', 'PAUSED') ORDER BY id"));
    }

    public CampaignProgress progress(long campaignId) {
        return world.database().read(connection -> progress(connection, campaignId));
    }

    /** A campaign's devices in rollout order, optionally only in one state. */
    public List<CampaignDevice> devices(long campaignId, DeviceUpdateState state, int offset, int limit) {
        String sql = "SELECT " + CampaignRows.DEVICE_COLUMNS + " FROM campaign_device WHERE campaign_id = ?"
                + (state == null ? "" : " AND state = ?") + " ORDER BY position LIMIT " + limit + " OFFSET " + offset;
        return world.database().read(connection -> devices(connection, sql,
                state == null ? new Object[] {campaignId} : new Object[] {campaignId, state.name()}));
    }

    /** A campaign's devices in any of {@code states}, in rollout order, at most {@code limit}. */
    public List<CampaignDevice> devicesIn(long campaignId, Set<DeviceUpdateState> states, int limit) {
        if (states.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + CampaignRows.DEVICE_COLUMNS + " FROM campaign_device WHERE campaign_id = ? AND state IN ("
                + String.join(", ", Collections.nCopies(states.size(), "?")) + ") ORDER BY position LIMIT " + limit;
        List<Object> parameters = new ArrayList<>();
        parameters.add(campaignId);
        states.forEach(state -> parameters.add(state.name()));
        return world.database().read(connection -> devices(connection, sql, parameters.toArray()));
    }

    public Optional<CampaignDevice> device(long campaignId, String endpoint) {
        return world.database().read(connection -> devices(connection, "SELECT " + CampaignRows.DEVICE_COLUMNS
                + " FROM campaign_device WHERE campaign_id = ? AND endpoint = ?", campaignId, endpoint).stream().findFirst());
    }

    /** The device's entry in a campaign that has not finished, if it is in one. */
    public Optional<CampaignDevice> openEntry(String endpoint) {
        return world.database().read(connection -> devices(connection, "SELECT " + prefixed("cd") + " FROM campaign_device cd "
                + "JOIN firmware_campaign c ON c.id = cd.campaign_id WHERE cd.endpoint = ? AND c.state IN ('RUNNING', "
                + "'PAUSED') ORDER BY cd.campaign_id DESC", endpoint).stream().findFirst());
    }

    /** The devices started (first attempt) in a campaign since {@code since}, for its rate limit. */
    public int startedSince(long campaignId, Instant since) {
        return world.database().read(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM campaign_device WHERE campaign_id = ? AND started_at >= ?")) {
                CampaignRows.bind(count, campaignId, since);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Whether the device is fetching this image in a campaign that has not finished (it may download it). */
    public boolean isTransferring(String endpoint, long imageId) {
        return world.database().read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM campaign_device cd JOIN "
                    + "firmware_campaign c ON c.id = cd.campaign_id WHERE cd.endpoint = ? AND c.image_id = ? AND "
                    + "c.state IN ('RUNNING', 'PAUSED') AND cd.state = 'TRANSFERRING'")) {
                CampaignRows.bind(select, endpoint, imageId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * What devices report about their firmware (Model Number /3/0/1 and Firmware Version /3/0/3), for targeting.
     *
     * @param endpoints only these devices, or {@code null} for all
     */
    public List<DeviceFirmware> deviceFirmware(Collection<String> endpoints) {
        String base = "SELECT d.endpoint, m.value_text AS model, v.value_text AS version FROM device d "
                + "LEFT JOIN resource_value m ON m.endpoint = d.endpoint AND m.object_id = 3 AND m.instance_id = 0 "
                + "AND m.resource_id = 1 AND m.resource_instance_id IS NULL "
                + "LEFT JOIN resource_value v ON v.endpoint = d.endpoint AND v.object_id = 3 AND v.instance_id = 0 "
                + "AND v.resource_id = 3 AND v.resource_instance_id IS NULL";
        return world.database().read(connection -> {
            List<DeviceFirmware> found = new ArrayList<>();
            if (endpoints == null) {
                readFirmware(connection, base + " ORDER BY d.endpoint", List.of(), found);
                return found;
            }
            List<String> all = new ArrayList<>(new LinkedHashSet<>(endpoints));
            for (int start = 0; start < all.size(); start += IN_CHUNK) {
                List<String> chunk = all.subList(start, Math.min(all.size(), start + IN_CHUNK));
                readFirmware(connection, base + " WHERE d.endpoint IN (" + String.join(", ", Collections.nCopies(
                        chunk.size(), "?")) + ")", chunk, found);
            }
            return found;
        });
    }

    /** Sets a campaign's state in its own transaction. */
    public Campaign setState(long campaignId, CampaignState state, String reason) {
        return world.inFeedTransaction(feed -> setState(feed, campaignId, state, reason));
    }

    /**
     * Sets a campaign's state inside the caller's feed transaction, and appends a {@code FIRMWARE} event about the
     * campaign itself (key {@code campaign/<id>}, no device).
     */
    public Campaign setState(FeedTransaction feed, long campaignId, CampaignState state, String reason) {
        try {
            try (PreparedStatement update = feed.connection().prepareStatement("UPDATE firmware_campaign SET state = ?, "
                    + "reason = ?, updated_at = ?, finished_at = ? WHERE id = ?")) {
                CampaignRows.bind(update, state.name(), orNull(reason, NullOf.VARCHAR), feed.now(),
                        state.isFinal() ? feed.now() : NullOf.TIME, campaignId);
                if (update.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no campaign " + campaignId);
                }
            }
            Campaign campaign = campaign(feed.connection(), campaignId).orElseThrow();
            feed.append(campaignEvent(feed.connection(), campaign));
            return campaign;
        } catch (SQLException e) {
            throw new StoreException("updating campaign " + campaignId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a device's new state inside the caller's feed transaction and appends its {@code FIRMWARE} event. When it
     * was the campaign's last unfinished device, the campaign ends with it: succeeded if every device did, else failed.
     *
     * @param newBaseline start a new step: only values reported after this change count for it
     * @return the device as stored
     */
    public CampaignDevice update(FeedTransaction feed, CampaignDevice device, boolean newBaseline) {
        try {
            Connection connection = feed.connection();
            if (campaign(connection, device.campaignId()).isEmpty()) {
                throw new IllegalArgumentException("no campaign " + device.campaignId());
            }
            Long baseline = device.baselineSeq();
            try (PreparedStatement update = connection.prepareStatement("UPDATE campaign_device SET state = ?, delivery = ?, "
                    + "attempts = ?, from_version = ?, step_command_id = ?, poll_command_id = ?, step_at = ?, polled_at = ?, "
                    + "not_before = ?, started_at = ?, attempt_at = ?, finished_at = ?, result_code = ?, detail = ?, "
                    + "updated_at = ? WHERE campaign_id = ? AND endpoint = ?")) {
                CampaignRows.bind(update, device.state().name(),
                        orNull(device.delivery() == null ? null : device.delivery().name(), NullOf.VARCHAR),
                        device.attempts(), orNull(device.fromVersion(), NullOf.VARCHAR),
                        orNull(device.stepCommandId(), NullOf.BIGINT), orNull(device.pollCommandId(), NullOf.BIGINT),
                        orNull(device.stepAt(), NullOf.TIME), orNull(device.polledAt(), NullOf.TIME),
                        orNull(device.notBefore(), NullOf.TIME), orNull(device.startedAt(), NullOf.TIME),
                        orNull(device.attemptAt(), NullOf.TIME), orNull(device.finishedAt(), NullOf.TIME),
                        orNull(device.resultCode(), NullOf.INTEGER), orNull(device.detail(), NullOf.VARCHAR), feed.now(),
                        device.campaignId(), device.endpoint());
                if (update.executeUpdate() == 0) {
                    throw new IllegalArgumentException(device.endpoint() + " is not in campaign " + device.campaignId());
                }
            }
            Campaign campaign = campaign(connection, device.campaignId()).orElseThrow();
            CampaignProgress progress = progress(connection, campaign.id());
            if (!campaign.state().isFinal() && progress.allDone()) {
                campaign = setState(feed, campaign.id(), progress.failed() == 0 && progress.cancelled() == 0
                        ? CampaignState.SUCCEEDED : CampaignState.FAILED, progress.failed() == 0
                        ? "all " + progress.succeeded() + " devices report the new version"
                        : progress.failed() + " of " + progress.total() + " devices failed");
            }
            ChangeEvent event = feed.append(event(connection, campaign, device, progress));
            if (newBaseline) {
                baseline = event.sequence();
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE campaign_device SET baseline_seq = ? WHERE campaign_id = ? AND endpoint = ?")) {
                    CampaignRows.bind(update, baseline, device.campaignId(), device.endpoint());
                    update.executeUpdate();
                }
            }
            return devices(connection, "SELECT " + CampaignRows.DEVICE_COLUMNS + " FROM campaign_device WHERE "
                    + "campaign_id = ? AND endpoint = ?", device.campaignId(), device.endpoint()).get(0);
        } catch (SQLException e) {
            throw new StoreException("updating " + device.endpoint() + " in campaign " + device.campaignId()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Records that the device's state was asked for (a poll), without an event: nothing changed yet. */
    public void recordPoll(FeedTransaction feed, CampaignDevice device) {
        try (PreparedStatement update = feed.connection().prepareStatement("UPDATE campaign_device SET poll_command_id = ?, "
                + "polled_at = ? WHERE campaign_id = ? AND endpoint = ?")) {
            CampaignRows.bind(update, orNull(device.pollCommandId(), NullOf.BIGINT), orNull(device.polledAt(), NullOf.TIME),
                    device.campaignId(), device.endpoint());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording a poll of " + device.endpoint() + " failed: " + e.getMessage(), e);
        }
    }

    private static ChangeEvent event(Connection connection, Campaign campaign, CampaignDevice device,
            CampaignProgress progress) throws SQLException {
        String version = imageVersion(connection, campaign.imageId());
        StringBuilder detail = new StringBuilder("{\"campaign\":").append(campaign.id())
                .append(",\"image\":").append(campaign.imageId())
                .append(",\"version\":").append(JsonText.quote(version))
                .append(",\"state\":\"").append(device.state().label()).append('"')
                .append(",\"attempt\":").append(device.attempts());
        if (device.delivery() != null) {
            detail.append(",\"delivery\":\"").append(device.delivery().label()).append('"');
        }
        if (device.resultCode() != null) {
            detail.append(",\"updateResult\":").append(device.resultCode());
        }
        if (device.detail() != null) {
            detail.append(",\"detail\":").append(JsonText.quote(device.detail()));
        }
        detail.append(",\"campaignState\":\"").append(campaign.state().label()).append('"')
                .append(",\"progress\":").append(progress.json()).append('}');
        return ChangeEvent.draft(ChangeEvent.Kind.FIRMWARE, device.endpoint(), null, null, null, null, null, null,
                detail.toString());
    }

    /** The key campaign events are about. */
    public static NodeKey key(long campaignId) {
        return NodeKey.entity("campaign/" + campaignId);
    }

    private static ChangeEvent campaignEvent(Connection connection, Campaign campaign) throws SQLException {
        String detail = "{\"campaign\":" + campaign.id() + ",\"image\":" + campaign.imageId() + ",\"version\":"
                + JsonText.quote(imageVersion(connection, campaign.imageId())) + ",\"campaignState\":\""
                + campaign.state().label() + "\"" + (campaign.reason() == null ? ""
                        : ",\"reason\":" + JsonText.quote(campaign.reason()))
                + ",\"progress\":" + progress(connection, campaign.id()).json() + "}";
        return ChangeEvent.graphDraft(ChangeEvent.Kind.FIRMWARE, key(campaign.id()), null, null, detail);
    }

    private static String imageVersion(Connection connection, long imageId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM firmware_image WHERE id = ?")) {
            select.setLong(1, imageId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static CampaignProgress progress(Connection connection, long campaignId) throws SQLException {
        Map<DeviceUpdateState, Integer> counts = new EnumMap<>(DeviceUpdateState.class);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state, COUNT(*) FROM campaign_device WHERE campaign_id = ? GROUP BY state")) {
            select.setLong(1, campaignId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(DeviceUpdateState.valueOf(rs.getString(1)), rs.getInt(2));
                }
            }
        }
        return CampaignProgress.of(counts);
    }

    private static List<String> inOpenCampaigns(Connection connection, List<String> endpoints) throws SQLException {
        List<String> busy = new ArrayList<>();
        for (int start = 0; start < endpoints.size(); start += IN_CHUNK) {
            List<String> chunk = endpoints.subList(start, Math.min(endpoints.size(), start + IN_CHUNK));
            try (PreparedStatement select = connection.prepareStatement("SELECT cd.endpoint FROM campaign_device cd "
                    + "JOIN firmware_campaign c ON c.id = cd.campaign_id WHERE c.state IN ('RUNNING', 'PAUSED') "
                    + "AND cd.state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND cd.endpoint IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") ORDER BY cd.endpoint")) {
                CampaignRows.bind(select, chunk.toArray());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        busy.add(rs.getString(1));
                    }
                }
            }
        }
        return busy;
    }

    private static long insertCampaign(Connection connection, NewCampaign campaign, Instant now) throws SQLException {
        CampaignPolicy policy = campaign.policy();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO firmware_campaign (name, image_id, "
                + "delivery, state, target, batch_size, concurrency, rate_per_minute, failure_threshold, max_attempts, "
                + "retry_backoff_ms, device_timeout_ms, created_at, updated_at) VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            CampaignRows.bind(insert, campaign.name(), campaign.imageId(), campaign.delivery().name(), campaign.target(),
                    policy.batchSize(), policy.concurrency(), policy.ratePerMinute(), policy.failureThreshold(),
                    policy.maxAttempts(), policy.retryBackoff().toMillis(), policy.deviceTimeout().toMillis(), now, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new StoreException("the database returned no id for the new campaign");
                }
                return keys.getLong(1);
            }
        }
    }

    private static Optional<Campaign> campaign(Connection connection, long id) throws SQLException {
        return campaigns(connection, "SELECT " + CampaignRows.CAMPAIGN_COLUMNS + " FROM firmware_campaign WHERE id = ?", id)
                .stream().findFirst();
    }

    private static List<Campaign> campaigns(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            CampaignRows.bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                List<Campaign> campaigns = new ArrayList<>();
                while (rs.next()) {
                    campaigns.add(CampaignRows.campaign(rs));
                }
                return campaigns;
            }
        }
    }

    private static List<CampaignDevice> devices(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            CampaignRows.bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                List<CampaignDevice> devices = new ArrayList<>();
                while (rs.next()) {
                    devices.add(CampaignRows.device(rs));
                }
                return devices;
            }
        }
    }

    private static void readFirmware(Connection connection, String sql, List<String> parameters,
            List<DeviceFirmware> into) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            CampaignRows.bind(statement, parameters.toArray());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    into.add(new DeviceFirmware(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
    }

    private static String prefixed(String alias) {
        return java.util.Arrays.stream(CampaignRows.DEVICE_COLUMNS.split(", ")).map(column -> alias + "." + column)
                .collect(Collectors.joining(", ")).toLowerCase(Locale.ROOT);
    }
}
