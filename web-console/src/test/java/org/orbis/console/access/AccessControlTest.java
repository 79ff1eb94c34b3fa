package org.orbis.console.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.access.Role;
import org.orbis.world.store.DatabaseSettings;

/**
 * Who may do what over HTTP: every API route needs the role it was built for, whatever the console shows; 401 when
 * nobody is signed in, 403 when the role is too low or a cookie session's write lacks its CSRF token.
 */
class AccessControlTest {

    /** Every API route and the least it needs; checked against openapi.json so that no route goes unlisted. */
    static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/health", null),
            new Route("GET", "/api/openapi.json", null),
            new Route("GET", "/api/console", null),
            new Route("POST", "/api/session", null),
            new Route("GET", "/api/session", Role.VIEWER),
            new Route("DELETE", "/api/session", Role.VIEWER),
            new Route("GET", "/api/events", Role.VIEWER),
            new Route("GET", "/api/overview", Role.VIEWER),
            new Route("GET", "/api/devices", Role.VIEWER),
            new Route("POST", "/api/devices", Role.OPERATOR),
            new Route("POST", "/api/devices/bulk", Role.OPERATOR),
            new Route("GET", "/api/devices/{endpoint}", Role.VIEWER),
            new Route("GET", "/api/devices/{endpoint}/model", Role.VIEWER),
            new Route("POST", "/api/devices/{endpoint}/read", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/write", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/execute", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/observe", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/cancel-observe", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/write-attributes", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/discover", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/create", Role.OPERATOR),
            new Route("POST", "/api/devices/{endpoint}/delete", Role.OPERATOR),
            new Route("GET", "/api/devices/{endpoint}/commands", Role.VIEWER),
            new Route("POST", "/api/devices/{endpoint}/commands", Role.OPERATOR),
            new Route("GET", "/api/commands", Role.VIEWER),
            new Route("GET", "/api/commands/{id}", Role.VIEWER),
            new Route("DELETE", "/api/commands/{id}", Role.OPERATOR),
            new Route("GET", "/api/devices/{endpoint}/desired", Role.VIEWER),
            new Route("PUT", "/api/devices/{endpoint}/desired", Role.OPERATOR),
            new Route("DELETE", "/api/devices/{endpoint}/desired", Role.OPERATOR),
            new Route("GET", "/api/desired/out-of-sync", Role.VIEWER),
            new Route("POST", "/api/devices/{endpoint}/credentials", Role.ADMIN),
            new Route("POST", "/api/devices/{endpoint}/revoke", Role.ADMIN),
            new Route("GET", "/api/security/audit", Role.ADMIN),
            new Route("GET", "/api/users", Role.ADMIN),
            new Route("POST", "/api/users", Role.ADMIN),
            new Route("PATCH", "/api/users/{username}", Role.ADMIN),
            new Route("DELETE", "/api/users/{username}", Role.ADMIN),
            new Route("GET", "/api/tokens", Role.ADMIN),
            new Route("POST", "/api/tokens", Role.ADMIN),
            new Route("DELETE", "/api/tokens/{id}", Role.ADMIN),
            new Route("GET", "/api/entities", Role.VIEWER),
            new Route("GET", "/api/entities/{key}", Role.VIEWER),
            new Route("PUT", "/api/entities/{key}", Role.OPERATOR),
            new Route("DELETE", "/api/entities/{key}", Role.OPERATOR),
            new Route("GET", "/api/edges", Role.VIEWER),
            new Route("POST", "/api/edges", Role.OPERATOR),
            new Route("DELETE", "/api/edges", Role.OPERATOR),
            new Route("POST", "/api/import", Role.OPERATOR),
            new Route("GET", "/api/query", Role.VIEWER),
            new Route("GET", "/api/devices/{endpoint}/history", Role.VIEWER),
            new Route("GET", "/api/models", Role.VIEWER),
            new Route("GET", "/api/models/{id}", Role.VIEWER),
            new Route("GET", "/api/devices/{endpoint}/views", Role.VIEWER),
            new Route("PUT", "/api/devices/{endpoint}/views/{name}", Role.OPERATOR),
            new Route("DELETE", "/api/devices/{endpoint}/views/{name}", Role.OPERATOR),
            new Route("GET", "/api/views", Role.VIEWER),
            new Route("PUT", "/api/views/{name}", Role.OPERATOR),
            new Route("GET", "/api/views/{name}", Role.VIEWER),
            new Route("DELETE", "/api/views/{name}", Role.OPERATOR),
            new Route("GET", "/api/views/{name}/events", Role.VIEWER),
            new Route("GET", "/api/firmware", Role.VIEWER),
            new Route("POST", "/api/firmware", Role.ADMIN),
            new Route("GET", "/api/firmware/{id}", Role.VIEWER),
            new Route("DELETE", "/api/firmware/{id}", Role.ADMIN),
            new Route("GET", "/api/firmware/{id}/content", Role.OPERATOR),
            new Route("GET", "/api/campaigns", Role.VIEWER),
            new Route("POST", "/api/campaigns", Role.OPERATOR),
            new Route("GET", "/api/campaigns/{id}", Role.VIEWER),
            new Route("GET", "/api/campaigns/{id}/devices", Role.VIEWER),
            new Route("POST", "/api/campaigns/{id}/pause", Role.OPERATOR),
            new Route("POST", "/api/campaigns/{id}/resume", Role.OPERATOR),
            new Route("POST", "/api/campaigns/{id}/abort", Role.OPERATOR));

    @TempDir
    static Path dataDir;
    static PlatformFixture fixture;
    static ApiClient admin;
    static ApiClient operator;
    static ApiClient viewer;

    @BeforeAll
    static void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
        admin = fixture.api();
        operator = fixture.userWithRole("otto", Role.OPERATOR, "otto-password-1");
        viewer = fixture.userWithRole("vera", Role.VIEWER, "vera-password-1");
        fixture.provision("known-1");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void everyDocumentedRouteIsListedWithTheRoleItNeeds() throws Exception {
        JsonNode openApi;
        try (InputStream in = getClass().getResourceAsStream("/api/openapi.json")) {
            openApi = new ObjectMapper().readTree(in);
        }
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT)
                    + " " + path.getKey()));
        }
        TreeSet<String> listed = new TreeSet<>();
        ROUTES.forEach(route -> listed.add(route.method() + " " + route.path()));
        assertThat(listed).isEqualTo(documented);
    }

    @Test
    void nobodySignedInGets401OnEveryRouteButThePublicOnes() {
        ApiClient anonymous = admin.anonymous();
        for (Route route : ROUTES) {
            if (route.needs() == null) {
                continue;
            }
            ApiClient.Response response = anonymous.send(route.request(anonymous.base()));
            assertThat(response.status()).as(route + " → " + response).isEqualTo(401);
            assertThat(response.isProblem()).isTrue();
            assertThat(response.json().get("detail").asText()).contains("sign in");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(anonymous.get("/api/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/api/console").json().get("demo").asBoolean()).isFalse();
    }

    @Test
    void aRoleBelowTheOneARouteNeedsGets403WithTheReason() {
        for (Route route : ROUTES) {
            if (route.needs() == null || route.needs() == Role.VIEWER) {
                continue;
            }
            ApiClient below = route.needs() == Role.ADMIN ? operator : viewer;
            ApiClient.Response response = below.send(route.request(below.base()));
            assertThat(response.status()).as(route + " → " + response).isEqualTo(403);
            assertThat(response.json().get("requiredRole").asText()).isEqualTo(route.needs().label());
            assertThat(response.json().get("detail").asText()).contains("needs " + route.needs().label());
        }
    }

    @Test
    void aViewerReadsButCannotWriteProvisionOrQueueAndNothingChanges() {
        assertThat(viewer.get("/api/devices").status()).isEqualTo(200);
        assertThat(viewer.get("/api/devices/known-1").status()).isEqualTo(200);
        ApiClient.Response write = viewer.post("/api/devices/known-1/write", "{\"path\":\"/3311/0/5850\",\"value\":true}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("detail").asText()).contains("'vera' has the role viewer")
                .contains("needs operator");
        assertThat(viewer.post("/api/devices", "{\"endpoint\":\"sneaky-1\"}").status()).isEqualTo(403);
        assertThat(admin.get("/api/devices/sneaky-1").status()).as("nothing was provisioned").isEqualTo(404);
        assertThat(viewer.put("/api/devices/known-1/desired", "{\"path\":\"/3311/0/5850\",\"value\":true}").status())
                .isEqualTo(403);
        assertThat(admin.get("/api/devices/known-1/desired").json().get("total").asInt()).isZero();
    }

    @Test
    void anOperatorOperatesDevicesButManagesNeitherUsersNorSecurity() {
        assertThat(operator.post("/api/devices", "{\"endpoint\":\"op-made-1\"}").status()).isEqualTo(201);
        assertThat(operator.get("/api/users").status()).isEqualTo(403);
        assertThat(operator.post("/api/devices/op-made-1/revoke", "{}").status()).isEqualTo(403);
        assertThat(operator.post("/api/tokens", "{\"name\":\"mine\"}").status()).isEqualTo(403);
    }

    @Test
    void aCookieSessionNeedsItsCsrfTokenForWritesAndEndsOnSignOut() {
        ApiClient anonymous = admin.anonymous();
        ApiClient.Response wrong = anonymous.post("/api/session", "{\"username\":\"otto\",\"password\":\"nope-nope-nope\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("detail").asText()).isEqualTo("wrong user name or password");
        assertThat(wrong.header("Set-Cookie")).isNull();

        ApiClient.Response signIn = anonymous.post("/api/session", "{\"username\":\"otto\",\"password\":\"otto-password-1\"}");
        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
        String setCookie = signIn.header("Set-Cookie");
        assertThat(setCookie).startsWith(AccessControl.SESSION_COOKIE + "=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = signIn.json().get("csrfToken").asText();
        assertThat(signIn.json().get("role").asText()).isEqualTo("operator");

        ApiClient.Response me = anonymous.send(withCookie(anonymous, "GET", "/api/session", cookie, null));
        assertThat(me.json().get("username").asText()).isEqualTo("otto");
        assertThat(me.json().get("csrfToken").asText()).isEqualTo(csrf);

        ApiClient.Response noCsrf = anonymous.send(withCookie(anonymous, "POST", "/api/devices", cookie, null)
                .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"csrf-1\"}")));
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.json().get("reason").asText()).isEqualTo("csrf");
        assertThat(admin.get("/api/devices/csrf-1").status()).isEqualTo(404);

        ApiClient.Response withCsrf = anonymous.send(withCookie(anonymous, "POST", "/api/devices", cookie, csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"csrf-1\"}")));
        assertThat(withCsrf.status()).as(withCsrf.toString()).isEqualTo(201);

        ApiClient.Response signOut = anonymous.send(withCookie(anonymous, "DELETE", "/api/session", cookie, csrf)
                .DELETE());
        assertThat(signOut.status()).isEqualTo(204);
        ApiClient.Response after = anonymous.send(withCookie(anonymous, "GET", "/api/devices", cookie, null));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("reason").asText()).isEqualTo("session-ended");
    }

    @Test
    void repeatedWrongPasswordsAreSlowedDownPerUser() {
        ApiClient anonymous = admin.anonymous();
        fixture.userWithRole("guessme", Role.VIEWER, "guessme-password-1");
        for (int i = 0; i < 5; i++) {
            assertThat(anonymous.post("/api/session", "{\"username\":\"guessme\",\"password\":\"guess-" + i + "-xx\"}")
                    .status()).isEqualTo(401);
        }
        ApiClient.Response blocked = anonymous.post("/api/session",
                "{\"username\":\"guessme\",\"password\":\"guessme-password-1\"}");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.header("Retry-After")).isNotNull();
    }

    @Test
    void adminsManageUsersAndTokensAndTheLastAdminStays() {
        ApiClient.Response created = admin.post("/api/users",
                "{\"username\":\"newbie\",\"role\":\"viewer\",\"password\":\"newbie-password-1\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("newbie-password-1").doesNotContain("argon2");
        assertThat(admin.post("/api/users", "{\"username\":\"weak\",\"password\":\"short\"}").json().get("detail")
                .asText()).contains("at least 10 characters");

        ApiClient.Response token = admin.post("/api/tokens", "{\"name\":\"ci\",\"username\":\"newbie\"}");
        assertThat(token.status()).isEqualTo(201);
        String secret = token.json().get("token").asText();
        assertThat(secret).startsWith("orbis_");
        ApiClient newbie = admin.withToken(secret);
        assertThat(newbie.get("/api/devices").status()).isEqualTo(200);
        assertThat(admin.get("/api/tokens").body()).doesNotContain(secret);
        assertThat(admin.post("/api/tokens", "{\"name\":\"up\",\"username\":\"newbie\",\"role\":\"admin\"}").status())
                .as("a token never exceeds its user's role").isEqualTo(400);

        assertThat(admin.patch("/api/users/newbie", "{\"role\":\"operator\"}").status()).isEqualTo(200);
        assertThat(newbie.post("/api/devices", "{\"endpoint\":\"newbie-1\"}").status())
                .as("the token acts with the lower of its role (viewer) and the user's").isEqualTo(403);

        assertThat(admin.delete("/api/tokens/" + token.json().get("id").asLong()).status()).isEqualTo(200);
        ApiClient.Response revoked = newbie.get("/api/devices");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("reason").asText()).isEqualTo("token");

        assertThat(admin.patch("/api/users/" + PlatformFixture.ADMIN, "{\"role\":\"viewer\"}").status())
                .as("the last admin cannot be demoted").isEqualTo(409);
        assertThat(admin.delete("/api/users/" + PlatformFixture.ADMIN).status()).isEqualTo(409);
        assertThat(admin.delete("/api/users/newbie").status()).isEqualTo(204);
    }

    private static HttpRequest.Builder withCookie(ApiClient api, String method, String path, String cookie, String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path)).header("Cookie", cookie)
                .header("Content-Type", "application/json");
        if (csrf != null) {
            request.header(AccessControl.CSRF_HEADER, csrf);
        }
        return request;
    }

    record Route(String method, String path, Role needs) {

        HttpRequest.Builder request(String base) {
            String concrete = path.replace("{endpoint}", "known-1").replace("{id}", "1").replace("{username}", "nobody")
                    .replace("{key}", "zone/hq/nowhere").replace("{name}", "no-view");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + concrete))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream, application/json");
            return switch (method) {
                case "GET" -> request.GET();
                case "DELETE" -> request.DELETE();
                default -> request.method(method, HttpRequest.BodyPublishers.ofString("{}"));
            };
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

}
