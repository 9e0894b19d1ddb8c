package io.dcx.hub.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import org.junit.jupiter.api.Test;

/** /api/dnc: add with source and time, check one number, remove. */
class DncApiTest extends HubTestBase {

    @Test
    void addCheckAndRemoveANumber() {
        String number = "+1917" + String.format("%07d", System.nanoTime() % 10_000_000);

        Reply added = post("/api/dnc", "{\"phone_number\":\"" + number + "\",\"source\":\"SMS_STOP\",\"reason\":\"texted STOP\"}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.text("phone_number")).isEqualTo(number);
        assertThat(added.json().path("listed").asBoolean()).isTrue();
        assertThat(added.text("source")).isEqualTo("SMS_STOP");
        assertThat(added.text("added_by")).isEqualTo("admin");
        assertThat(added.text("added_at")).isNotNull();

        Reply again = post("/api/dnc", "{\"phone_number\":\"" + number + "\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("source")).isEqualTo("SMS_STOP");

        Reply check = get("/api/dnc/" + number.replace("+", "%2B"));
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.json().path("listed").asBoolean()).isTrue();
        assertThat(check.text("reason")).isEqualTo("texted STOP");

        assertThat(send("DELETE", "/api/dnc/" + number.replace("+", "%2B"), null, adminToken()).status()).isEqualTo(204);
        Reply after = get("/api/dnc/" + number.replace("+", "%2B"));
        assertThat(after.json().path("listed").asBoolean()).isFalse();
        assertThat(send("DELETE", "/api/dnc/" + number.replace("+", "%2B"), null, adminToken()).status()).isEqualTo(404);
    }

    @Test
    void badNumbersAndSourcesAre400AndTheListNeedsARole() {
        assertThat(post("/api/dnc", "{\"phone_number\":\"5551234\"}").status()).isEqualTo(400);
        assertThat(post("/api/dnc", "{\"phone_number\":\"+15551234567\",\"source\":\"GUESS\"}").status()).isEqualTo(400);
        Reply bad = get("/api/dnc/12345");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("field")).isEqualTo("phone_number");
        assertThat(send("GET", "/api/dnc/%2B15551234567", null, null).status()).isEqualTo(401);
    }
}
