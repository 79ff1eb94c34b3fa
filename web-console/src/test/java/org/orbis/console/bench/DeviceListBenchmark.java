package org.orbis.console.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.orbis.console.testing.Browser;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.DeviceRows;

/**
 * Not a test: the device-list figures for the console, run by {@code web-console/bench/device-list}. Fills an
 * embedded H2 database with {@code -Dorbis.bench.devices} devices (default 50,000; a quarter online, some sleeping
 * and offline), starts the platform on it and measures (1) the server time of list queries over HTTP, median of 20,
 * with the unfiltered first page as the baseline, and (2) the time to first render of the device list in headless
 * Chromium, median of 5, with the overview page as the baseline. Prints to {@code target/benchmarks/device-list.txt}.
 */
@Tag("benchmark")
class DeviceListBenchmark {

    private static final int RUNS = 20;
    private static final int RENDERS = 5;

    @TempDir
    Path dataDir;

    @RegisterExtension
    final Browser browser = new Browser();

    private final List<String> report = new ArrayList<>();

    @Test
    void deviceListFigures() throws Exception {
        int devices = Integer.getInteger("orbis.bench.devices", 50_000);
        DatabaseSettings database = DatabaseSettings.embeddedH2(dataDir);
        long fillStart = System.nanoTime();
        fill(database, devices);
        line("devices in the database: %,d (filled in %.1f s)", devices, (System.nanoTime() - fillStart) / 1e9);
        try (PlatformFixture fixture = new PlatformFixture(database).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = fixture.api().base();
            String token = fixture.api().token();
            String needle = String.format("%05d", devices / 2 + 7).substring(1);
            line("");
            line("server time of GET /api/devices (limit 50), median of %d after 5 warm-ups:", RUNS);
            line("  %-44s %10s %10s %8s", "query", "db ms", "http ms", "matches");
            double baseline = query(http, base, token, "unfiltered first page (baseline)", "");
            double search = query(http, base, token, "search '" + needle + "' in endpoints", "search=" + needle);
            query(http, base, token, "search 'dev-0' (many matches)", "search=dev-0");
            query(http, base, token, "state:online", "state=online");
            query(http, base, token, "search + state + sort -lastSeen", "search=dev-1&state=online&sort=-lastSeen");
            query(http, base, token, "sort -lastSeen, first page", "sort=-lastSeen");
            query(http, base, token, "last page (offset " + (devices - 50) + ")", "offset=" + (devices - 50));
            line("  search vs baseline: %.2fx", search / baseline);

            browser.signIn(base, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
            line("");
            line("time to first render in headless Chromium (navigation start to rows on screen), median of %d:", RENDERS);
            double overview = render(base + "/#/", By.id("count-online"), "overview (baseline)");
            double list = render(base + "/#/devices", By.cssSelector("#device-rows tr"), "device list, first page of 50");
            double searched = render(base + "/#/devices?search=" + needle, By.cssSelector("#device-rows tr"),
                    "device list opened with a search");
            line("  device list vs overview: %.2fx; with search: %.2fx", list / overview, searched / overview);
        }
        Path out = Path.of("target", "benchmarks", "device-list.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
    }

    private double query(HttpClient http, String base, String token, String label, String query)
            throws IOException, InterruptedException {
        List<Double> db = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        String matches = "";
        for (int i = 0; i < RUNS + 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/devices?limit=50&"
                    + query)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new AssertionError(query + " → " + response.statusCode() + " " + response.body());
            }
            if (i >= 5) {
                total.add(elapsed);
                db.add(Double.parseDouble(response.headers().firstValue("Server-Timing").orElseThrow()
                        .replaceAll(".*dur=", "")));
            }
            matches = response.body().replaceAll(".*\"total\":(\\d+).*", "$1");
        }
        double median = median(db);
        line("  %-44s %10.2f %10.2f %8s", label, median, median(total), matches);
        return median;
    }

    private double render(String url, By rendered, String label) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < RENDERS + 1; i++) {
            browser.open("about:blank");
            browser.open(url);
            browser.find(rendered);
            Object elapsed = ((JavascriptExecutor) browser.driver()).executeScript("return performance.now();");
            if (i > 0) {
                times.add(((Number) elapsed).doubleValue());
            }
        }
        double median = median(times);
        line("  %-44s %10.0f ms", label, median);
        return median;
    }

    private static void fill(DatabaseSettings settings, int devices) {
        try (Database database = Database.open(settings)) {
            Instant now = Instant.now();
            for (int first = 0; first < devices; first += 1000) {
                List<String> batch = new ArrayList<>();
                for (int i = first; i < Math.min(devices, first + 1000); i++) {
                    batch.add(String.format("dev-%06d", i));
                }
                database.inTransaction(connection -> {
                    DeviceRows.insertNew(connection, batch, now);
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE device SET state = ?, last_seen = ? WHERE endpoint = ?")) {
                        for (int i = 0; i < batch.size(); i++) {
                            DeviceState state = DeviceState.values()[i % 4];
                            update.setString(1, state.name());
                            update.setObject(2, state == DeviceState.NEVER ? null
                                    : java.time.OffsetDateTime.ofInstant(now.minusSeconds(i), java.time.ZoneOffset.UTC));
                            update.setString(3, batch.get(i));
                            update.addBatch();
                        }
                        update.executeBatch();
                    }
                    return null;
                });
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private void line(String format, Object... arguments) {
        String text = String.format(Locale.ROOT, format, arguments);
        report.add(text);
        System.out.println(text);
    }
}
