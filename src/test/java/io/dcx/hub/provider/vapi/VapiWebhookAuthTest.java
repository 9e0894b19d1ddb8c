package io.dcx.hub.provider.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Authentication of Vapi's server messages: X-Vapi-Secret, a bearer credential, the HMAC credential. */
class VapiWebhookAuthTest {

    private static final Instant NOW = Instant.parse("2026-01-15T18:00:00Z");
    private static final byte[] BODY = "{\"message\":{\"type\":\"status-update\",\"status\":\"ringing\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private static VapiProperties properties(String secret, String hmacSecret) {
        return new VapiProperties("https://api.vapi.ai", "key", "asst", "pn", secret, hmacSecret, "sha256", "x-signature",
                "x-timestamp", Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(15));
    }

    private static boolean verify(VapiProperties p, Map<String, String> headers) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        return new VapiWebhookAuth(p, Clock.fixed(NOW, ZoneOffset.UTC)).verify(ci::get, BODY);
    }

    @Test
    void theServerUrlSecretMustMatchExactly() {
        VapiProperties p = properties("s3cret", null);
        assertThat(verify(p, Map.of("X-Vapi-Secret", "s3cret"))).isTrue();
        assertThat(verify(p, Map.of("x-vapi-secret", "s3cret"))).isTrue();
        assertThat(verify(p, Map.of("X-Vapi-Secret", "s3cre"))).isFalse();
        assertThat(verify(p, Map.of("X-Vapi-Secret", "s3cretx"))).isFalse();
        assertThat(verify(p, Map.of("X-Vapi-Secret", ""))).isFalse();
        assertThat(verify(p, Map.of())).isFalse();
        assertThat(verify(p, Map.of("Authorization", "Bearer s3cret"))).isTrue();
        assertThat(verify(p, Map.of("Authorization", "Bearer nope"))).isFalse();
    }

    @Test
    void nothingConfiguredAcceptsNothing() {
        VapiProperties p = properties(null, null);
        assertThat(verify(p, Map.of("X-Vapi-Secret", ""))).isFalse();
        assertThat(verify(p, Map.of("X-Vapi-Secret", "anything"))).isFalse();
    }

    @Test
    void theHmacCredentialSignsTimestampDotBody() throws Exception {
        VapiProperties p = properties(null, "hmac-key");
        String ts = String.valueOf(NOW.getEpochSecond());
        String sig = hex("hmac-key", ts + "." + new String(BODY, StandardCharsets.UTF_8));
        assertThat(verify(p, Map.of("x-timestamp", ts, "x-signature", sig))).isTrue();
        assertThat(verify(p, Map.of("x-timestamp", ts, "x-signature", "sha256=" + sig))).isTrue();
        assertThat(verify(p, Map.of("x-timestamp", ts, "x-signature", sig.toUpperCase()))).isTrue();
        String ms = String.valueOf(NOW.toEpochMilli());
        assertThat(verify(p, Map.of("x-timestamp", ms, "x-signature",
                hex("hmac-key", ms + "." + new String(BODY, StandardCharsets.UTF_8))))).as("milliseconds").isTrue();
        assertThat(verify(p, Map.of("x-timestamp", ts, "x-signature", hex("other-key", ts + "." + new String(BODY,
                StandardCharsets.UTF_8))))).isFalse();
        String old = String.valueOf(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(verify(p, Map.of("x-timestamp", old, "x-signature",
                hex("hmac-key", old + "." + new String(BODY, StandardCharsets.UTF_8))))).as("replayed").isFalse();
        assertThat(verify(p, Map.of("x-signature", sig))).isFalse();
    }

    private static String hex(String key, String payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }
}
