package io.dcx.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.yaml.snakeyaml.Yaml;

/**
 * The role matrix of docs/security.md, checked cell by cell against the running hub. The table is read from the doc
 * itself (between {@code role-matrix:start} and {@code role-matrix:end}), and the operations from the OpenAPI
 * document: an operation without a row, or a row whose request the contract does not have, fails the test. Each
 * request names resources of user A and buyer A; an allowed principal must not get 401/403, a refused one gets 401
 * (no credentials) or 403 (anyone else) as problem+json. Refused principals go first, so an allowed one's change
 * (a delete) cannot turn a refusal into a 404.
 */
class RoleMatrixTest extends HubTestBase {

    static final Path DOC = Path.of("docs/security.md");
    static final List<String> PRINCIPALS =
            List.of("none", "admin", "user A", "user B", "key A", "key B", "buyer user A", "service");
    private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 1_000_000));
    private static final String PASSWORD = "matrix-password";

    @Autowired
    JdbcTemplate jdbc;

    record Row(String operation, String method, String path, Map<String, Boolean> allowed) {}

    /** How a principal authenticates: a header, or nothing. */
    record Credential(String header, String value) {}

    @Test
    void everyOperationHasARowAndEveryCellHolds() throws IOException {
        List<Row> rows = table();
        Map<String, String> contract = contractOperations();

        // the table covers the contract exactly: a new operation without a row fails here
        TreeSet<String> inTable = new TreeSet<>();
        for (Row row : rows) {
            if (!row.operation().startsWith("(")) {
                inTable.add(row.operation());
                assertThat(row.method() + " " + row.path()).as("request of " + row.operation())
                        .isEqualTo(contract.get(row.operation()));
            }
        }
        assertThat(inTable).as("operations with a row in docs/security.md").isEqualTo(new TreeSet<>(contract.keySet()));

        Fixtures f = fixtures();
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            List<String> order = new ArrayList<>(PRINCIPALS.stream().filter(p -> !row.allowed().get(p)).toList());
            order.addAll(PRINCIPALS.stream().filter(p -> row.allowed().get(p)).toList());
            String path = path(row, f);
            for (String principal : order) {
                Reply r = call(row, path, f, f.credentials.get(principal));
                boolean allowed = row.allowed().get(principal);
                String cell = row.operation() + " " + row.method() + " " + path + " as " + principal + ": " + r.status()
                        + " " + abbreviate(r.body());
                if (allowed && (r.status() == 401 || r.status() == 403)) {
                    failures.add("allowed but refused: " + cell);
                } else if (!allowed) {
                    int expected = principal.equals("none") ? 401 : 403;
                    if (r.status() != expected || !r.contentType().startsWith("application/problem+json")) {
                        failures.add("refused must be " + expected + " problem+json: " + cell);
                    }
                }
            }
        }
        assertThat(failures).as("cells of the role matrix that do not hold").isEmpty();
    }

    // ---------------------------------------------------------------- the table and the contract

    static List<Row> table() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        int start = lines.indexOf("<!-- role-matrix:start -->");
        int end = lines.indexOf("<!-- role-matrix:end -->");
        assertThat(start).as("role-matrix markers in " + DOC).isGreaterThanOrEqualTo(0).isLessThan(end);
        List<String> header = cells(lines.get(start + 1));
        assertThat(header.subList(2, header.size())).isEqualTo(PRINCIPALS);
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 3, end)) {
            List<String> c = cells(line);
            String[] request = c.get(1).replace("`", "").split(" ", 2);
            Map<String, Boolean> allowed = new LinkedHashMap<>();
            for (int i = 0; i < PRINCIPALS.size(); i++) {
                String v = c.get(2 + i);
                assertThat(v).as(line).isIn("yes", "no");
                allowed.put(PRINCIPALS.get(i), v.equals("yes"));
            }
            rows.add(new Row(c.get(0), request[0], request[1], allowed));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String t = line.trim();
        return List.of(t.substring(1, t.length() - 1).split("\\|", -1)).stream().map(String::trim).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> contractOperations() throws IOException {
        Map<String, Object> doc;
        try (var in = new ClassPathResource("openapi/dcx-hub.yaml").getInputStream()) {
            doc = new Yaml().load(in);
        }
        Map<String, String> ops = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            if (op instanceof Map<?, ?> o && o.get("operationId") != null) {
                ops.put((String) o.get("operationId"), method.toUpperCase() + " " + path);
            }
        }));
        return ops;
    }

    // ---------------------------------------------------------------- fixtures: resources of A and B, principals

    record Fixtures(Deal dealA, String buyerB, String exchangeCallA, String userAName, String userAToken,
            Map<String, Credential> credentials) {}

    private Fixtures fixtures() {
        Deal a = deal();
        String buyerB = post("/api/buyers", "{\"name\":\"Firm B\",\"endpoint_value\":\"+15550002222\"}").text("id");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Credential> credentials = new LinkedHashMap<>();
        credentials.put("none", null);
        credentials.put("admin", bearer(adminToken()));
        String userA = "matrix_a_" + suffix;
        credentials.put("user A", bearer(account(userA, "USER", null)));
        credentials.put("user B", bearer(account("matrix_b_" + suffix, "USER", null)));
        credentials.put("key A", new Credential("X-Api-Key", apiKey(a.buyer())));
        credentials.put("key B", new Credential("X-Api-Key", apiKey(buyerB)));
        credentials.put("buyer user A", bearer(account("matrix_buyer_" + suffix, "BUYER", a.buyer())));
        credentials.put("service", bearer(account("matrix_service_" + suffix, "SERVICE", null)));
        String exchangeCall = insertCall(jdbc, a, Instant.now().minus(Duration.ofHours(1)));
        return new Fixtures(a, buyerB, exchangeCall, userA, credentials.get("user A").value().substring(7), credentials);
    }

    private String account(String username, String role, String buyer) {
        Reply r = post("/api/users", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role
                + "\"" + (buyer == null ? "" : ",\"buyer_id\":\"" + buyer + "\"") + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return token(username, PASSWORD);
    }

    private static Credential bearer(String token) {
        return new Credential("Authorization", "Bearer " + token);
    }

    /** A fresh AI call of user A, scheduled far ahead (never dispatched during the run). */
    private String callOfUserA(Fixtures f) {
        Reply r = send("POST", "/api/calls", callBody(), f.userAToken());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("public_id");
    }

    /** A conversion of buyer A on its exchange call (a new event type each time). */
    private String conversionOfBuyerA(Fixtures f) {
        Reply r = post("/api/conversions", "{\"call_public_id\":\"" + f.exchangeCallA() + "\",\"event_type\":\"MATRIX_"
                + NUMBERS.incrementAndGet() + "\",\"buyer_id\":\"" + f.dealA().buyer() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static String callBody() {
        return "{\"callee_name\":\"Matrix\",\"phone_number\":\"+1718" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000)
                + "\",\"subject\":\"s\",\"prompt\":\"p\",\"scheduled_at\":\"" + Instant.now().plus(Duration.ofDays(30)) + "\"}";
    }

    // ---------------------------------------------------------------- requests

    private String path(Row row, Fixtures f) {
        String p = row.path();
        if (p.startsWith("/api/calls/{id}/return")) {
            p = p.replace("{id}", f.exchangeCallA()); // buyer A's call (ended long ago: 422 for those allowed)
        } else if (p.startsWith("/api/conversions/{id}")) {
            p = p.replace("{id}", conversionOfBuyerA(f));
        } else if (p.startsWith("/api/calls/{id}")) {
            p = p.replace("{id}", callOfUserA(f));
        } else if (p.startsWith("/api/buyers/{id}")) {
            p = p.replace("{id}", f.dealA().buyer());
        } else if (p.startsWith("/api/suppliers/{id}")) {
            p = p.replace("{id}", f.dealA().supplier());
        } else if (p.startsWith("/api/campaigns/{id}")) {
            p = p.replace("{id}", f.dealA().campaign());
        } else if (p.startsWith("/api/offers/{id}")) {
            p = p.replace("{id}", f.dealA().offer());
        }
        p = p.replace("{phone_number}", "%2B15550009999").replace("{key_id}", UUID.randomUUID().toString())
                .replace("{dialId}", UUID.randomUUID().toString()).replace("{id}", UUID.randomUUID().toString());
        if (row.operation().equals("exportCalls")) {
            p += "?format=json&from=" + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plus(Duration.ofDays(1));
        }
        return p;
    }

    /**
     * The body of a request: valid where the operation checks ownership after validating it (so a refusal is the
     * check's, not a 400); for operations that change global state a body the contract rejects, so an allowed
     * principal gets a 400 and nothing changes.
     */
    private String body(Row row, Fixtures f) {
        return switch (row.operation()) {
            case "createToken" -> "{\"username\":\"" + f.userAName() + "\",\"password\":\"" + PASSWORD + "\"}";
            case "createCall" -> callBody();
            case "updateCall" -> "{\"subject\":\"matrix\"}";
            case "putCallTranscript" -> "{\"transcript_text\":\"matrix\"}";
            case "setCallDisposition" -> "{\"disposition\":\"NO_ANSWER\"}";
            case "createConversion" -> "{\"call_public_id\":\"" + f.exchangeCallA() + "\",\"event_type\":\"MATRIX_SALE\","
                    + "\"buyer_id\":\"" + f.dealA().buyer() + "\"}";
            case "runRetention" -> "{\"dry_run\":true}";
            case "updateAutomationSettings" -> "{\"automation_enabled\":\"not-a-boolean\"}";
            case "erasePersonalData" -> "{\"phone_number\":\"+15550008888\"}";
            default -> "{}";
        };
    }

    private Reply call(Row row, String path, Fixtures f, Credential credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        if (credential != null) {
            b.header(credential.header(), credential.value());
        }
        boolean hasBody = row.method().equals("POST") || row.method().equals("PUT") || row.method().equals("PATCH");
        if (hasBody) {
            b.header("Content-Type", row.operation().equals("(lead-import)") ? "text/csv" : "application/json");
            b.method(row.method(), HttpRequest.BodyPublishers.ofString(
                    row.operation().equals("(lead-import)") ? "" : body(row, f)));
        } else {
            b.method(row.method(), HttpRequest.BodyPublishers.noBody());
        }
        return execute(b.build());
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
