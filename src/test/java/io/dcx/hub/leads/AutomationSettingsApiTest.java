package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.LeadTestBase;
import org.junit.jupiter.api.Test;

/** GET/PUT /api/settings/automation. */
class AutomationSettingsApiTest extends LeadTestBase {

    @Test
    void theSettingsHaveTheSeedsDefaultsAndAPutChangesOnlyWhatItSends() {
        put("/api/settings/automation", "{\"max_calls_batch\":10,\"retry_interval\":15,\"max_attempts\":3,"
                + "\"provider_concurrency_limit\":10}");
        Reply r = get("/api/settings/automation");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("automation_enabled").asBoolean()).isFalse();
        assertThat(r.json().path("max_calls_batch").asInt()).isEqualTo(10);
        assertThat(r.json().path("retry_interval").asInt()).isEqualTo(15);
        assertThat(r.json().path("max_attempts").asInt()).isEqualTo(3);
        assertThat(r.json().path("provider_concurrency_limit").asInt()).isEqualTo(10);
        assertThat(r.text("cron")).isEqualTo("0 0/5 * * * ?");
        assertThat(r.text("next_run_at")).isNotNull();

        Reply changed = put("/api/settings/automation", "{\"max_attempts\":5,\"cron\":\"0  0/10 8-20 * * ?\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("max_attempts").asInt()).isEqualTo(5);
        assertThat(changed.json().path("max_calls_batch").asInt()).isEqualTo(10);
        assertThat(changed.text("cron")).isEqualTo("0 0/10 8-20 * * ?");
        assertThat(jdbc.queryForObject("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'lead-batch'",
                String.class)).isEqualTo("0 0/10 8-20 * * ?");
        assertThat(jdbc.queryForObject("SELECT value->>'max_attempts' FROM settings WHERE key = 'automation'", String.class))
                .isEqualTo("5");
        put("/api/settings/automation", "{\"max_attempts\":3}");
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        Reply cron = put("/api/settings/automation", "{\"cron\":\"every five minutes please\"}");
        assertThat(cron.status()).isEqualTo(400);
        assertThat(cron.contentType()).startsWith("application/problem+json");
        assertThat(cron.text("field")).isEqualTo("cron");
        Reply batch = put("/api/settings/automation", "{\"max_calls_batch\":0}");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.text("field")).isEqualTo("max_calls_batch");
        Reply unknown = put("/api/settings/automation", "{\"automation\":true}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(put("/api/settings/automation", "{}").status()).isEqualTo(400);
        assertThat(put("/api/settings/automation", "{\"max_attempts\":\"three\"}").status()).isEqualTo(400);
        assertThat(send("PUT", "/api/settings/automation", "{\"max_attempts\":3}", null).status()).isEqualTo(401);
        assertThat(get("/api/settings/automation").text("cron")).isEqualTo("0 0/5 * * * ?");
    }
}
