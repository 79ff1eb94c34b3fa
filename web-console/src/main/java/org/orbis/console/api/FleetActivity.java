package org.orbis.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.orbis.server.operations.OperationResult;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.CommitListener;

/**
 * What the fleet overview charts: registrations and notifications per minute over the last hour, and the most recent
 * errors (commands that failed or expired, operations devices refused or never answered). Kept in memory from the
 * commits this process sees, so it starts empty after a restart; a notification is counted once however many values
 * it carried. Thread-safe; {@link #committed} runs on the committing thread and only counts.
 */
final class FleetActivity implements CommitListener {

    static final int MINUTES = 60;
    static final int MAX_ERRORS = 50;

    private final Clock clock;
    private final Deque<Minute> minutes = new ArrayDeque<>();
    private final Deque<ErrorView> errors = new ArrayDeque<>();

    FleetActivity(Clock clock) {
        this.clock = clock;
    }

    record MinuteView(Instant minute, long registrations, long notifications) {
    }

    record ErrorView(Instant at, String endpoint, String what, String detail) {
    }

    private static final class Minute {
        final Instant start;
        long registrations;
        long notifications;

        Minute(Instant start) {
            this.start = start;
        }
    }

    @Override
    public void committed(List<ChangeEvent> events) {
        long registrations = 0;
        Set<String> notifications = new HashSet<>();
        List<ErrorView> failures = new ArrayList<>();
        for (ChangeEvent event : events) {
            switch (event.kind()) {
                case DEVICE -> {
                    if (event.state() == DeviceState.ONLINE) {
                        registrations++;
                    }
                }
                case VALUE -> notifications.add(event.endpoint() + "@" + event.serverTime());
                case COMMAND -> {
                    JsonNode detail = parse(event.detail());
                    String status = detail.path("status").asText();
                    if (status.equals("failed") || status.equals("expired")) {
                        failures.add(new ErrorView(event.committedAt(), event.endpoint(), "command " + status,
                                detail.path("kind").asText() + " " + detail.path("path").asText()
                                        + (detail.hasNonNull("code") ? " answered " + detail.get("code").asText()
                                                : " after " + detail.path("attempts").asInt() + " attempt(s)")));
                    }
                }
                default -> {
                    // desired-value changes are shown where they belong, not as activity
                }
            }
        }
        synchronized (this) {
            Minute minute = current();
            minute.registrations += registrations;
            minute.notifications += notifications.size();
            failures.forEach(this::remember);
        }
    }

    void operationFailed(OperationResult result) {
        synchronized (this) {
            remember(new ErrorView(clock.instant(), result.endpoint(), "operation " + result.outcome().name()
                    .toLowerCase(java.util.Locale.ROOT).replace('_', ' '), result.path()
                            + (result.code() == null ? "" : " → " + result.code())
                            + (result.message() == null ? "" : ": " + result.message())));
        }
    }

    synchronized List<MinuteView> perMinute() {
        current();
        Instant first = minutes.isEmpty() ? clock.instant() : minutes.peekFirst().start;
        List<MinuteView> views = new ArrayList<>();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        for (int i = MINUTES - 1; i >= 0; i--) {
            Instant start = now.minus(i, ChronoUnit.MINUTES);
            if (start.isBefore(first)) {
                continue;
            }
            Minute found = minutes.stream().filter(minute -> minute.start.equals(start)).findFirst().orElse(null);
            views.add(new MinuteView(start, found == null ? 0 : found.registrations,
                    found == null ? 0 : found.notifications));
        }
        return views;
    }

    synchronized List<ErrorView> recentErrors() {
        return List.copyOf(errors);
    }

    private Minute current() {
        Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        if (minutes.isEmpty() || !minutes.peekLast().start.equals(start)) {
            minutes.addLast(new Minute(start));
        }
        while (minutes.size() > MINUTES) {
            minutes.removeFirst();
        }
        return minutes.peekLast();
    }

    private void remember(ErrorView error) {
        errors.addFirst(error);
        while (errors.size() > MAX_ERRORS) {
            errors.removeLast();
        }
    }

    private static JsonNode parse(String detail) {
        try {
            return Json.MAPPER.readTree(detail == null ? "{}" : detail);
        } catch (Exception e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
