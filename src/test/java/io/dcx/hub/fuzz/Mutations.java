package io.dcx.hub.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The fuzzer's generators: values shaped by an OpenAPI schema (so a good share of requests gets past validation),
 * and the hostile inputs it swaps in — SQL, CRLF, path traversal, NUL, template and JNDI strings, lone surrogates,
 * huge and wrongly typed values. Every URL it makes points at the loopback interface: nothing leaves the machine.
 */
final class Mutations {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A loopback URL nothing listens on (the discard port): webhook targets and links never leave the machine. */
    static final String LOOPBACK_URL = "http://127.0.0.1:9/fuzz";

    static final List<String> NASTY = List.of(
            "' OR '1'='1", "1; DROP TABLE suppliers; --", "\"; SELECT pg_sleep(0); --", "') UNION SELECT NULL--",
            "$(id)", "`id`", "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/dev/null",
            "\u0000", "a\u0000b", "\r\nX-Injected: fuzz", "%0d%0aX-Injected:%20fuzz", "\n", "\t",
            "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "#{7*7}", "%s%s%s%n",
            "\uD83D\uDE00\uD83D\uDE00", "\u202Egnp.exe", "\uFEFF", "\uFFFF", "\uD800", "", " ", "null",
            "-1", "1e309", "NaN", "Infinity", "+1555", "+15551234567\u0000", "call_\u0000", "00000000-0000-0000-0000-000000000000",
            "x".repeat(5000), "é".repeat(300));

    /** Path segments already percent-encoded: traversal, NUL, encoded slashes, overlong and odd escapes. */
    static final List<String> NASTY_SEGMENTS = List.of(
            "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "..", "%00", "abc%00def", "%27%20OR%20%271%27%3D%271",
            "%0d%0aX-Injected:%20fuzz", "%C0%AE%C0%AE%2F", "%FF%FE", "%25", "%2F", "a".repeat(3000), "%E2%80%AE",
            "call_%00", "-1", "0", "99999999999999999999", "null", "%3Cscript%3E");

    private final Random random;

    Mutations(Random random) {
        this.random = random;
    }

    Random random() {
        return random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    String nasty() {
        return pick(NASTY);
    }

    String token() {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    String e164() {
        return "+1555" + String.format("%07d", random.nextInt(10_000_000));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A path parameter: a fresh UUID, a public-id shape, or a hostile segment. */
    String pathValue() {
        int r = random.nextInt(100);
        if (r < 40) {
            return UUID.randomUUID().toString();
        }
        if (r < 50) {
            return "call_" + token();
        }
        if (r < 60) {
            return enc(nasty());
        }
        return pick(NASTY_SEGMENTS);
    }

    /** A wrongly typed or hostile JSON value. */
    JsonNode wrong() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 2 -> NODES.numberNode(new BigDecimal("-1.5e300"));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> NODES.arrayNode().add(nasty()).add(random.nextInt());
            case 6 -> NODES.objectNode().put("$gt", "").put("__proto__", nasty());
            case 7 -> NODES.numberNode(-1);
            default -> NODES.textNode(nasty());
        };
    }

    /** A value shaped by the schema (types, enums, formats, bounds), with hostile values now and then. */
    JsonNode value(Schema<?> schema, String name, int depth) {
        if (schema == null || depth > 6) {
            return NODES.textNode(token());
        }
        if (schema instanceof ComposedSchema composed) {
            List<Schema> parts = composed.getAllOf() != null ? composed.getAllOf()
                    : composed.getOneOf() != null ? composed.getOneOf() : composed.getAnyOf();
            if (parts != null && !parts.isEmpty()) {
                if (composed.getAllOf() != null) { // allOf: merge the parts' properties
                    ObjectNode merged = NODES.objectNode();
                    for (Schema<?> part : parts) {
                        JsonNode v = value(part, name, depth + 1);
                        if (v instanceof ObjectNode o) {
                            merged.setAll(o);
                        } else {
                            return v;
                        }
                    }
                    return merged;
                }
                return value(pick(parts), name, depth + 1);
            }
        }
        if (depth > 0 && chance(0.04)) {
            return wrong();
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && chance(0.9)) {
            Object e = pick(new ArrayList<>(schema.getEnum()));
            return e == null ? NODES.nullNode() : e instanceof Number n ? NODES.numberNode(n.longValue())
                    : e instanceof Boolean b ? NODES.booleanNode(b) : NODES.textNode(e.toString());
        }
        String type = schema.getType();
        if (type == null && schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            type = schema.getTypes().iterator().next();
        }
        if (type == null) {
            type = schema.getProperties() != null ? "object" : schema instanceof ArraySchema ? "array" : "string";
        }
        switch (type) {
            case "object": {
                ObjectNode o = NODES.objectNode();
                Map<String, Schema> props = schema.getProperties();
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                if (props != null) {
                    for (Map.Entry<String, Schema> p : props.entrySet()) {
                        if (Boolean.TRUE.equals(p.getValue().getReadOnly())) {
                            continue;
                        }
                        if (required.contains(p.getKey()) ? chance(0.95) : chance(0.45)) {
                            o.set(p.getKey(), value(p.getValue(), p.getKey(), depth + 1));
                        }
                    }
                }
                return o;
            }
            case "array": {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(value(schema.getItems(), name, depth + 1));
                }
                return a;
            }
            case "integer": {
                long min = schema.getMinimum() == null ? 0 : schema.getMinimum().longValue();
                long max = schema.getMaximum() == null ? Math.max(min, 1000) : schema.getMaximum().longValue();
                return NODES.numberNode(min + (long) (random.nextDouble() * (max - min + 1)));
            }
            case "number":
                return NODES.numberNode(Math.round(random.nextDouble() * 10000) / 100.0);
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            default:
                return NODES.textNode(string(schema, name));
        }
    }

    private String string(Schema<?> schema, String name) {
        String n = name == null ? "" : name.toLowerCase();
        String format = schema.getFormat() == null ? "" : schema.getFormat();
        if (n.contains("url") || n.contains("uri") || format.equals("uri")) {
            return LOOPBACK_URL + "/" + token();
        }
        if (format.equals("uuid") || n.endsWith("_id") || n.equals("id")) {
            return n.contains("public") ? "call_" + token() : UUID.randomUUID().toString();
        }
        if (format.equals("date-time") || n.endsWith("_at") || n.endsWith("_time")) {
            return Instant.now().minusSeconds(random.nextInt(100_000)).toString();
        }
        if (format.equals("date")) {
            return "2026-11-0" + (1 + random.nextInt(9));
        }
        if (format.equals("email") || n.contains("email")) {
            return token() + "@example.com";
        }
        if (n.contains("phone") || n.contains("e164") || n.contains("number") || n.startsWith("endpoint")
                || (schema.getPattern() != null && schema.getPattern().contains("\\+"))) {
            return e164();
        }
        if (n.contains("timezone") || n.contains("time_zone")) {
            return pick(List.of("America/New_York", "America/Chicago", "Europe/Paris", "UTC"));
        }
        if (n.equals("start") || n.equals("end")) {
            return String.format("%02d:%02d", random.nextInt(24), random.nextInt(60));
        }
        int max = schema.getMaxLength() == null ? 40 : Math.min(schema.getMaxLength(), 60);
        int min = schema.getMinLength() == null ? 1 : schema.getMinLength();
        int len = Math.max(min, random.nextInt(Math.max(1, max)) + 1);
        StringBuilder sb = new StringBuilder("fz");
        while (sb.length() < len) {
            sb.append(token());
        }
        return sb.substring(0, Math.max(min, Math.min(len, sb.length())));
    }

    /** Replaces one field somewhere in the tree by a hostile or wrongly typed value (or adds an unknown one). */
    void poison(JsonNode root) {
        if (!(root instanceof ObjectNode o)) {
            return;
        }
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty() || chance(0.15)) {
            o.set(chance(0.5) ? "unknown_" + token() : nasty(), wrong());
            return;
        }
        String name = pick(names);
        JsonNode child = o.get(name);
        if (child instanceof ObjectNode && chance(0.5)) {
            poison(child);
        } else {
            o.set(name, wrong());
        }
    }

    /** Every string in the tree with NUL inside. */
    static void nulEverywhere(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(f -> {
                if (f.getValue().isTextual()) {
                    o.put(f.getKey(), f.getValue().textValue() + "\u0000");
                } else {
                    nulEverywhere(f.getValue());
                }
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, NODES.textNode(a.get(i).textValue() + "\u0000"));
                } else {
                    nulEverywhere(a.get(i));
                }
            }
        }
    }

    /** A body that is not JSON, or not quite: truncated, garbage, deeply nested, odd tokens. */
    byte[] malformed(String json) {
        return switch (random.nextInt(9)) {
            case 0 -> json.substring(0, random.nextInt(Math.max(1, json.length()))).getBytes(StandardCharsets.UTF_8);
            case 1 -> "[".repeat(600 + random.nextInt(5000)).getBytes(StandardCharsets.UTF_8);
            case 2 -> "{\"a\":".repeat(300 + random.nextInt(3000)).getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"x\":1,\"x\":2}").getBytes(StandardCharsets.UTF_8);
            case 4 -> "null".getBytes(StandardCharsets.UTF_8);
            case 5 -> "[]".getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{'single':'quotes', trailing: [1,2,],}").getBytes(StandardCharsets.UTF_8);
            case 7 -> {
                byte[] b = new byte[1 + random.nextInt(300)];
                random.nextBytes(b);
                yield b;
            }
            default -> ("\"" + nasty() + "\"").getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Valid JSON text with bytes that are not UTF-8 spliced into a string (or the whole text in Latin-1). */
    byte[] notUtf8(String json) {
        if (chance(0.4)) {
            return (json.length() > 2 ? json.substring(0, json.length() - 1) + ",\"zz\":\"caf\u00e9\u00ff\"}" : json)
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        int quote = json.indexOf('"', 1 + random.nextInt(Math.max(1, json.length() - 1)));
        if (quote < 0) {
            quote = text.length / 2;
        }
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        byte[] b = pick(List.of(bad));
        byte[] out = new byte[text.length + b.length];
        System.arraycopy(text, 0, out, 0, quote);
        System.arraycopy(b, 0, out, quote, b.length);
        System.arraycopy(text, quote, out, quote + b.length, text.length - quote);
        return out;
    }
}
