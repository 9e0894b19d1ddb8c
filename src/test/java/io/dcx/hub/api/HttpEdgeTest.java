package io.dcx.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hub's HTTP edge (docs/http-edge.md): nothing from a request is reflected into response headers, ordinary
 * Accept headers and optional bodies work, trailing JSON is refused, Tomcat's own errors are problem+json, the
 * actuator shows only health and metrics, and slow request bodies cannot starve the API.
 */
class HttpEdgeTest extends HubTestBase {

    /** Header names an attacker would like the hub to answer with, in several spellings. */
    private static final List<String> INJECTED = List.of("Set-Cookie", "set-cookie", "SET-COOKIE", "Refresh",
            "Access-Control-Allow-Origin", "access-control-allow-credentials", "Location", "LOCATION",
            "Retry-After", "Cache-Control", "Content-Disposition", "WWW-Authenticate", "X-Request-Id", "ETag",
            "Link", "X-Frame-Options", "Content-Security-Policy", "Strict-Transport-Security", "X-Evil", "Allow");

    private static final String MARK = "attacker";

    // ------------------------------------------------------------------------------------ 1. reflected headers

    @Test
    void requestParametersAndHeadersNeverBecomeResponseHeaders() throws Exception {
        String token = adminToken();
        StringBuilder query = new StringBuilder("?");
        for (String name : INJECTED) {
            query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(MARK + "=" + name, StandardCharsets.UTF_8)).append('&');
        }
        // every path the hub answers errors on: the contract validator (bad JSON, bad parameter), the routes, the
        // 404 and 405 pages, Spring Security's 401, the contract document, Twilio's servlet, the conversions lane
        record Probe(String method, String path, String body, String auth, String contentType) {}
        List<Probe> probes = List.of(
                new Probe("POST", "/api/auth/token", "{\"bad\":1", null, "application/json"),
                new Probe("POST", "/api/auth/token", "{\"username\":\"admin\",\"password\":\"wrong\"}", null,
                        "application/json"),
                new Probe("GET", "/api/suppliers", null, "Bearer " + token, null),
                new Probe("GET", "/api/suppliers/not-a-uuid", null, "Bearer " + token, null),
                new Probe("POST", "/api/suppliers", "{\"name\":1}", "Bearer " + token, "application/json"),
                new Probe("GET", "/api/suppliers", null, null, null),
                new Probe("GET", "/api/suppliers", null, "Bearer not-a-jwt", null),
                new Probe("GET", "/api/no-such-thing", null, "Bearer " + token, null),
                new Probe("DELETE", "/api/openapi.yaml", null, null, null),
                new Probe("GET", "/api/openapi.yaml", null, null, null),
                new Probe("GET", "/health", null, null, null),
                new Probe("POST", "/twilio/voice", "From=%2B15551230000", null, "application/x-www-form-urlencoded"),
                new Probe("POST", "/api/conversions", "{}", "Bearer dcxk_unknown", "application/json"));
        for (Probe probe : probes) {
            for (String extra : List.of("", "limit=abc&")) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(probe.path() + query + extra)))
                        .timeout(Duration.ofSeconds(20));
                for (String name : INJECTED) {
                    b.header(name, MARK + "-header-" + name);
                }
                if (probe.auth() != null) {
                    b.header("Authorization", probe.auth());
                }
                if (probe.contentType() != null) {
                    b.header("Content-Type", probe.contentType());
                }
                b.method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(probe.body()));
                HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                String what = probe.method() + " " + probe.path() + " → " + response.statusCode();
                for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                    assertThat(header.getValue()).as(what + " header " + header.getKey())
                            .noneMatch(v -> v.toLowerCase(Locale.ROOT).contains(MARK));
                }
                assertThat(response.headers().map().keySet()).as(what)
                        .doesNotContain("authorization", "limit", "set-cookie", "refresh", "access-control-allow-origin",
                                "x-evil", "location", "retry-after");
                assertThat(response.headers().firstValue("Authorization")).as(what).isEmpty();
            }
        }
    }

    @Test
    void headersTheHubSetsStillGoOut() {
        // Content-Disposition is on the allow-list: the DNC export sets it (a route setting it must keep it)
        HttpResponse<String> r = raw(HttpRequest.newBuilder(URI.create(url("/api/dnc/export?Content-Disposition=x")))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Disposition", "x").GET());
        if (r.statusCode() == 200) {
            assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                    .contains("attachment"));
        }
        assertThat(r.statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------ 2. Accept

    @Test
    void ordinaryAcceptHeadersAreServed() {
        String token = adminToken();
        for (String accept : new String[] {"application/json", "*/*", "application/problem+json",
                "application/json, text/plain, */*", "application/*", "application/json;q=0.9", null}) {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(url("/api/suppliers")))
                    .header("Authorization", "Bearer " + token).GET();
            HttpRequest.Builder create = HttpRequest.newBuilder(URI.create(url("/api/suppliers")))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Accept test\",\"type\":\"EXTERNAL_PUBLISHER\"}"));
            HttpRequest.Builder login = HttpRequest.newBuilder(URI.create(url("/api/auth/token")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"admin\",\"password\":\"test-admin-password\"}"));
            if (accept != null) {
                get.header("Accept", accept);
                create.header("Accept", accept);
                login.header("Accept", accept);
            }
            assertThat(raw(get).statusCode()).as("GET with Accept " + accept).isEqualTo(200);
            assertThat(raw(create).statusCode()).as("POST with Accept " + accept).isEqualTo(201);
            assertThat(raw(login).statusCode()).as("login with Accept " + accept).isEqualTo(200);
        }
        HttpResponse<String> csv = raw(HttpRequest.newBuilder(URI.create(url("/api/suppliers")))
                .header("Authorization", "Bearer " + token).header("Accept", "text/csv").GET());
        assertThat(csv.statusCode()).isEqualTo(406);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith(Problems.CONTENT_TYPE));
        assertThat(csv.body()).contains("NOT_ACCEPTABLE");
    }

    // ------------------------------------------------------------------------------------ 3. optional bodies

    @Test
    void optionalBodiesMayBeLeftOut() {
        String token = adminToken();
        String buyer = post("/api/buyers", "{\"name\":\"Optional body\",\"endpoint_value\":\"+15550002222\"}").text("id");
        Reply key = send("POST", "/api/buyers/" + buyer + "/api-keys", null, token);
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String endpoint = webhookEndpoint("http://localhost:9/hook", "CONVERSION_RECORDED").path("id").asText();
        Reply rotated = send("POST", "/api/webhook-endpoints/" + endpoint + "/rotate-secret", null, token);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        Reply run = send("POST", "/api/retention/run", null, token);
        assertThat(run.status()).as(run.body()).isIn(200, 202, 409);
        // an empty body with a content type is still "no body"
        Reply empty = send("POST", "/api/retention/run", "", token);
        assertThat(empty.status()).as(empty.body()).isIn(200, 202, 409);
        // a required body stays required
        Reply missing = send("POST", "/api/suppliers", null, token);
        assertThat(missing.status()).isIn(400, 415);
        assertThat(missing.contentType()).startsWith(Problems.CONTENT_TYPE);
    }

    // ------------------------------------------------------------------------------------ 5. smaller items

    @Test
    void onlyHealthAndMetricsArePublicOnTheActuator() {
        assertThat(send("GET", "/actuator", null, null).status()).isIn(401, 403, 404);
        Reply info = send("GET", "/actuator/info", null, null);
        assertThat(info.status()).isIn(401, 403, 404);
        assertThat(send("GET", "/actuator/health", null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(200);
    }

    @Test
    void trailingDataAfterTheJsonDocumentIsRefused() {
        Reply login = send("POST", "/api/auth/token",
                "{\"username\":\"admin\",\"password\":\"test-admin-password\"} trailing", null);
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.text("code")).isEqualTo("MALFORMED_JSON");
        Reply second = post("/api/suppliers",
                "{\"name\":\"Trailing\",\"type\":\"EXTERNAL_PUBLISHER\"}{\"name\":\"Second\"}");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.text("code")).isEqualTo("MALFORMED_JSON");
        assertThat(get("/api/suppliers?limit=100").body()).doesNotContain("\"Trailing\"");
    }

    @Test
    void requestsTomcatRejectsAreAnsweredAsProblemJson() throws Exception {
        List<String> targets = List.of("/api/%2e%2e/x", "/%00", "/api/a%2fb", "/api/%5c", "/a\\b", "/api/x%zz",
                "/api/%c0%ae%c0%ae/", "/api/suppliers;x=1", "/..;/api");
        for (String target : targets) {
            String response = rawHttp("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(statusOf(response)).as(target + ": " + response).isBetween(400, 404);
            assertThat(response).as(target).containsIgnoringCase("Content-Type: " + Problems.CONTENT_TYPE)
                    .doesNotContainIgnoringCase("<html");
        }
        for (String request : List.of("G@T / HTTP/1.1\r\n", "GET / HTTP/9.z\r\n", "GET /api/[x] HTTP/1.1\r\n",
                "GET /api/suppliers HTTP/1.1\r\nBad Header\r\n")) {
            String response = rawHttp(request + "Host: localhost\r\nConnection: close\r\n\r\n");
            assertThat(statusOf(response)).as(request + ": " + response).isEqualTo(400);
            assertThat(response).as(request).containsIgnoringCase("Content-Type: " + Problems.CONTENT_TYPE);
        }
        String big = rawHttp("GET /api/suppliers HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(statusOf(big)).as(big).isEqualTo(400);
        assertThat(big).containsIgnoringCase("Content-Type: " + Problems.CONTENT_TYPE).doesNotContainIgnoringCase("<html");
    }

    // ------------------------------------------------------------------------------------ 6. slow bodies

    @Test
    void slowRequestBodiesDoNotStarveTheApi() throws Exception {
        String token = adminToken();
        List<String> paths = List.of("/api/auth/token", "/twilio/voice", "/api/suppliers");
        List<Socket> sockets = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(24);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String path = paths.get(i % paths.size());
                Socket socket = new Socket("localhost", port);
                socket.setSoTimeout(40_000);
                sockets.add(socket);
                String type = path.startsWith("/twilio") ? "application/x-www-form-urlencoded" : "application/json";
                String auth = path.equals("/api/suppliers") ? "Authorization: Bearer " + token + "\r\n" : "";
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type
                        + "\r\nContent-Length: 1000\r\n" + auth + "\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answers.add(readers.submit(() -> {
                    InputStream in = socket.getInputStream();
                    int first = in.read(); // the answer's first byte: when the hub gave up on the body
                    long answeredMs = (System.nanoTime() - start) / 1_000_000;
                    String response = (first < 0 ? "" : String.valueOf((char) first)) + readAll(in);
                    return new long[] {statusOf(response), answeredMs, (System.nanoTime() - start) / 1_000_000};
                }));
            }
            Thread.sleep(500);
            long slowest = 0;
            for (int i = 0; i < 6; i++) {
                long t = System.nanoTime();
                Reply r = get("/api/suppliers?limit=1");
                long ms = (System.nanoTime() - t) / 1_000_000;
                slowest = Math.max(slowest, ms);
                assertThat(r.status()).isEqualTo(200);
                Reply login = send("POST", "/api/auth/token",
                        "{\"username\":\"admin\",\"password\":\"test-admin-password\"}", null);
                assertThat(login.status()).isEqualTo(200);
                Thread.sleep(300);
            }
            // before the fix every admin request waited ~30 s and failed; a loaded 2-core machine adds a second or two
            assertThat(slowest).as("slowest admin request while 24 bodies trickle, ms").isLessThan(5000);
            List<String> results = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                long[] result = answers.get(i).get(40, TimeUnit.SECONDS);
                results.add(paths.get(i % paths.size()) + " " + result[0] + " after " + result[1] + " ms (closed after "
                        + result[2] + " ms)");
            }
            System.out.println("Slow bodies: slowest admin request " + slowest + " ms; " + results);
            // server.tomcat.connection-timeout and dcx.http.body-read-timeout are 10 s
            assertThat(results).allMatch(r -> r.contains(" 408 after "), "answered 408");
            for (Future<long[]> answer : answers) {
                assertThat(answer.get()[1]).as("ms until the slow body was answered").isLessThan(15_000);
                // Tomcat then drains the announced body (up to server.tomcat.max-swallow-size) for at most one more
                // connection timeout before it closes the connection
                assertThat(answer.get()[2]).as("ms until the slow connection was closed").isLessThan(25_000);
            }
        } finally {
            readers.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    private HttpResponse<String> raw(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String rawHttp(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset after the answer: keep what arrived
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int statusOf(String response) {
        if (!response.startsWith("HTTP/1.1 ")) {
            return -1;
        }
        return Integer.parseInt(response.substring(9, 12));
    }
}
