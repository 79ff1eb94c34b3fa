package org.orbis.console.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads {@code /api/events} like a browser's EventSource would, collecting events on a background thread. */
public final class EventStreamReader implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile int status;

    /**
     * @param api whose server and API token to use
     * @param lastEventId sent as {@code Last-Event-ID}, or {@code null} to start at the head
     */
    public EventStreamReader(ApiClient api, String lastEventId) {
        this(api, "/api/events", lastEventId);
    }

    /** Reads any event stream of the API, e.g. {@code /api/views/my-view/events}. */
    public EventStreamReader(ApiClient api, String path, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Accept", "text/event-stream");
        if (api.token() != null) {
            request.header("Authorization", "Bearer " + api.token());
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the event stream", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        status = response.statusCode();
        body = response.body();
        reader = new Thread(this::read, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public int status() {
        return status;
    }

    /** Waits for the next event that matches, skipping others; fails after {@code timeout}. */
    public Event next(Predicate<Event> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout);
            }
            if (matching.test(event)) {
                return event;
            }
        }
    }

    /** Every event received so far, and clears them. */
    public List<Event> drain() {
        List<Event> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id == null ? -1 : Long.parseLong(id), name, MAPPER.readTree(data.toString())));
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            // stream closed
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already closed
        }
        reader.interrupt();
    }

    /** One Server-Sent Event: its id (the change sequence), name and JSON data. */
    public record Event(long id, String name, JsonNode data) {

        public boolean isValueOf(String endpoint, String path) {
            return name.equals("value") && endpoint.equals(data.path("endpoint").asText())
                    && path.equals(data.path("path").asText());
        }
    }
}
