package org.orbis.console.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.EventStreamReader;
import org.orbis.console.testing.EventStreamReader.Event;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.history.Housekeeper;
import org.orbis.world.history.Retention;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;

/**
 * One shared world, end to end over real DTLS: six reference clients placed by a JSON import into two zones of a
 * site, found by path-pattern and traversal queries, watched through a view, moved between zones, charted from
 * history, and still there after a restart. Run once per database backend by the subclasses.
 */
abstract class SharedWorldContract {

    static final Duration WITHIN = Duration.ofSeconds(30);
    static final List<String> NORTH = List.of("north-1", "north-2", "north-3");
    static final List<String> SOUTH = List.of("south-1", "south-2", "south-3");
    static final String SITE = """
            {
              "entities": [
                {"key": "site/hq", "label": "Headquarters", "attributes": {"city": "Lyon"}},
                {"key": "zone/hq/north", "label": "North wing"},
                {"key": "zone/hq/south", "label": "South wing"}
              ],
              "edges": [
                {"from": "zone/hq/north", "kind": "partOf", "to": "site/hq"},
                {"from": "zone/hq/south", "kind": "partOf", "to": "site/hq"},
                {"from": "device/north-1", "kind": "in", "to": "zone/hq/north"},
                {"from": "device/north-2", "kind": "in", "to": "zone/hq/north"},
                {"from": "device/north-3", "kind": "in", "to": "zone/hq/north"},
                {"from": "device/south-1", "kind": "in", "to": "zone/hq/south"},
                {"from": "device/south-2", "kind": "in", "to": "zone/hq/south"},
                {"from": "device/south-3", "kind": "in", "to": "zone/hq/south"}
              ]
            }
            """;

    PlatformFixture fixture;

    abstract DatabaseSettings database();

    @BeforeEach
    void startPlatform() {
        fixture = new PlatformFixture(database()).start();
    }

    @AfterEach
    void stopPlatform() {
        fixture.close();
    }

    ApiClient api() {
        return fixture.api();
    }

    List<String> query(String query) {
        List<String> keys = new ArrayList<>();
        String after = null;
        do {
            String url = "/api/query?limit=2&q=" + encode(query) + (after == null ? "" : "&after=" + encode(after));
            ApiClient.Response response = api().get(url);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            response.json().get("items").forEach(item -> keys.add(item.get("key").asText()));
            after = response.json().path("next").isMissingNode() ? null : response.json().get("next").asText();
        } while (after != null);
        return keys;
    }

    void sixClientsReportingTemperatures() throws InterruptedException {
        List<ReferenceClient> clients = new ArrayList<>();
        for (String endpoint : concat(NORTH, SOUTH)) {
            clients.add(fixture.bootstrapClient(fixture.provision(endpoint)));
        }
        for (ReferenceClient client : clients) {
            assertThat(client.awaitRegistered(WITHIN)).as(client.endpoint() + " registered").isTrue();
        }
        await().atMost(WITHIN).until(() -> query("path=*/3303/0/5700").size() == 6);
    }

    @Test
    void aSiteOfTwoZonesWithSixDevicesIsQueriedWatchedMovedChartedAndSurvivesARestart() throws Exception {
        sixClientsReportingTemperatures();

        ApiClient.Response imported = api().post("/api/import", SITE);
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("entitiesCreated").asInt()).isEqualTo(3);
        assertThat(imported.json().get("edgesCreated").asInt()).isEqualTo(8);

        assertThat(query("path=*/3303/*/5700")).containsExactly("device/north-1/3303/0/5700",
                "device/north-2/3303/0/5700", "device/north-3/3303/0/5700", "device/south-1/3303/0/5700",
                "device/south-2/3303/0/5700", "device/south-3/3303/0/5700");
        assertThat(query("within 1 of zone/hq/north and path=*/3303/*/5700")).containsExactly(
                "device/north-1/3303/0/5700", "device/north-2/3303/0/5700", "device/north-3/3303/0/5700");
        assertThat(query("within 2 of site/hq and state=online")).hasSize(6);
        JsonNode temperature = api().get("/api/query?q=" + encode("path=north-1/3303/0/5700")).json().at("/items/0");
        assertThat(temperature.at("/model/name").asText()).isEqualTo("Sensor Value");
        assertThat(temperature.at("/model/type").asText()).isEqualTo("FLOAT");
        assertThat(temperature.at("/model/objectVersion").asText()).isEqualTo("1.0");

        assertThat(api().put("/api/views/north", "{\"query\":\"within 1 of zone/hq/north and path=*/3303/*/5700\"}")
                .status()).isEqualTo(201);
        try (EventStreamReader view = new EventStreamReader(api(), "/api/views/north/events", null)) {
            assertThat(view.status()).isEqualTo(200);
            Event snapshot = view.next(event -> event.name().equals("snapshot"), WITHIN);
            assertThat(snapshot.data().get("members")).extracting(member -> member.get("key").asText())
                    .containsExactly("device/north-1/3303/0/5700", "device/north-2/3303/0/5700",
                            "device/north-3/3303/0/5700");
            Event change = view.next(event -> event.name().equals("change"), WITHIN);
            assertThat(change.data().get("key").asText()).startsWith("device/north-");

            ApiClient.Response moved = api().post("/api/edges",
                    "{\"from\":\"device/south-1\",\"kind\":\"in\",\"to\":\"zone/hq/north\",\"exclusive\":true}");
            assertThat(moved.status()).as(moved.toString()).isEqualTo(201);

            Event entered = view.next(event -> event.name().equals("enter"), WITHIN);
            assertThat(entered.data().get("key").asText()).isEqualTo("device/south-1/3303/0/5700");
            assertThat(entered.data().at("/node/value").isNumber()).isTrue();
            assertThat(query("within 1 of zone/hq/north and path=*/3303/*/5700")).hasSize(4);
            assertThat(query("within 1 of zone/hq/south and path=*/3303/*/5700")).containsExactly(
                    "device/south-2/3303/0/5700", "device/south-3/3303/0/5700");

            assertThat(api().delete("/api/edges?from=device/north-2&kind=in&to=zone/hq/north").status()).isEqualTo(204);
            Event left = view.next(event -> event.name().equals("leave"), WITHIN);
            assertThat(left.data().get("key").asText()).isEqualTo("device/north-2/3303/0/5700");

            long resumeFrom = entered.id() > 0 ? entered.id() - 1 : 0;
            try (EventStreamReader resumed = new EventStreamReader(api(), "/api/views/north/events",
                    Long.toString(resumeFrom))) {
                Event again = resumed.next(event -> event.name().equals("enter") || event.name().equals("leave"), WITHIN);
                assertThat(again.name()).as("a resumed stream replays the membership changes after its id").isEqualTo("enter");
                assertThat(again.data().get("key").asText()).isEqualTo("device/south-1/3303/0/5700");
                assertThat(resumed.next(event -> event.name().equals("leave"), WITHIN).data().get("key").asText())
                        .isEqualTo("device/north-2/3303/0/5700");
            }
        }

        Instant start = Instant.now().minusSeconds(600);
        await().atMost(WITHIN).until(() -> history("north-1", start, "").get("points").size() >= 4);
        JsonNode points = history("north-1", start, "").get("points");
        List<Instant> times = new ArrayList<>();
        points.forEach(point -> times.add(Instant.parse(point.get("at").asText())));
        assertThat(times).isSorted();
        JsonNode buckets = history("north-1", start, "&buckets=2").get("buckets");
        assertThat(buckets.size()).isBetween(1, 2);
        long counted = 0;
        for (JsonNode bucket : buckets) {
            assertThat(bucket.get("min").asDouble()).isLessThanOrEqualTo(bucket.get("avg").asDouble());
            assertThat(bucket.get("avg").asDouble()).isLessThanOrEqualTo(bucket.get("max").asDouble());
            counted += bucket.get("count").asLong();
        }
        assertThat(counted).isGreaterThanOrEqualTo(points.size());

        assertThat(fixture.platform().writer().flush(WITHIN)).isTrue();
        long head = fixture.platform().feed().head();
        JsonNode before = api().get("/api/query?limit=100&q=" + encode("path=*/3303/0/5700")).json().get("items");
        List<JsonNode> valuesBefore = new ArrayList<>();
        before.forEach(valuesBefore::add);
        fixture.restart();

        assertThat(fixture.platform().feed().head()).as("no committed change is lost").isGreaterThanOrEqualTo(head);
        for (JsonNode old : valuesBefore) {
            String key = old.get("key").asText();
            JsonNode history = history(key.split("/")[1], start, "").get("points");
            List<Long> seqs = new ArrayList<>();
            history.forEach(point -> seqs.add(point.get("seq").asLong()));
            assertThat(seqs).as("the value committed before the restart is in " + key + "'s history")
                    .contains(old.get("sequence").asLong());
        }
        assertThat(query("within 1 of zone/hq/north and path=*/3303/*/5700")).containsExactly(
                "device/north-1/3303/0/5700", "device/north-3/3303/0/5700", "device/south-1/3303/0/5700");
        assertThat(api().get("/api/views/north").json().get("items")).hasSize(3);
    }

    @Test
    void anInvalidImportChangesNothingAndSaysWhichLineIsWrong() throws Exception {
        fixture.provision("lonely-1");
        String body = """
                {
                  "entities": [
                    {"key": "site/hq"},
                    {"key": "Zone/hq/x"}
                  ],
                  "edges": [
                    {"from": "device/lonely-1", "kind": "in", "to": "site/hq"},
                    {"from": "device/nobody", "kind": "in", "to": "site/hq"}
                  ]
                }
                """;

        ApiClient.Response rejected = api().post("/api/import", body);

        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(422);
        assertThat(rejected.isProblem()).isTrue();
        assertThat(rejected.json().get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("item").asText()).isEqualTo("entities[1] (line 4)");
            assertThat(error.get("detail").asText()).contains("Zone");
        });
        ApiClient.Response unknownDevice = api().post("/api/import", body.replace("Zone/hq/x", "zone/hq/x"));
        assertThat(unknownDevice.status()).isEqualTo(422);
        assertThat(unknownDevice.json().get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("item").asText()).isEqualTo("edges[1] (line 8)");
            assertThat(error.get("detail").asText()).contains("device/nobody");
        });
        assertThat(api().get("/api/entities").json().get("items")).as("nothing was imported").isEmpty();
        assertThat(api().post("/api/import", "{\"entities\": [").status()).isEqualTo(400);
    }

    @Test
    void entitiesHaveRevisionsAndAStaleWriteIsRefused() {
        ApiClient.Response created = put("/api/entities/asset/pump-1", "{\"label\":\"Pump\",\"attributes\":{\"kw\":\"4\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("revision").asLong()).isEqualTo(1);

        assertThat(put("/api/entities/asset/pump-1", "{\"label\":\"Main pump\",\"attributes\":{\"kw\":\"4\"},\"revision\":1}").json().get("revision")
                .asLong()).isEqualTo(2);
        ApiClient.Response stale = put("/api/entities/asset/pump-1", "{\"label\":\"Old name\",\"revision\":1}");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("detail").asText()).contains("revision 2");

        assertThat(api().get("/api/entities/asset/pump-1").json().at("/entity/label").asText()).isEqualTo("Main pump");
        assertThat(api().get("/api/query?q=" + encode("kind=asset and attr.kw=4")).json().get("items")).hasSize(1);
        assertThat(api().get("/api/query?q=" + encode("path=3303")).status()).isEqualTo(400);
        assertThat(api().delete("/api/entities/asset/pump-1").status()).isEqualTo(200);
        assertThat(api().get("/api/entities/asset/pump-1").status()).isEqualTo(404);
    }

    @Test
    void aReaderResumingFromBeyondTheFeedRetentionIsToldTheChangesAreGone() throws Exception {
        put("/api/entities/asset/a-1", "{}");
        put("/api/entities/asset/a-2", "{}");
        Clock eightDaysLater = Clock.fixed(Instant.now().plus(Duration.ofDays(8)), ZoneOffset.UTC);
        new Housekeeper(new WorldStore(fixture.platform().world().database(), eightDaysLater), Retention.defaults())
                .runOnce();

        try (EventStreamReader stream = new EventStreamReader(api(), "0")) {
            assertThat(stream.status()).isEqualTo(410);
        }
        put("/api/entities/asset/a-3", "{}");
        try (EventStreamReader stream = new EventStreamReader(api(), "2")) {
            assertThat(stream.status()).as("from the retention horizon on, resuming works").isEqualTo(200);
            assertThat(stream.next(event -> event.name().equals("entity"), WITHIN).data().get("key").asText())
                    .isEqualTo("asset/a-3");
        }
    }

    JsonNode history(String endpoint, Instant from, String extra) {
        ApiClient.Response response = api().get("/api/devices/" + endpoint + "/history?path=/3303/0/5700&from="
                + from + "&to=" + Instant.now().plusSeconds(60) + extra);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    ApiClient.Response put(String path, String json) {
        return api().put(path, json);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
