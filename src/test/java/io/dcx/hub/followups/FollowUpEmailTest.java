package io.dcx.hub.followups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.support.LeadTestBase;
import io.dcx.hub.support.ResendStandIn;
import io.dcx.hub.support.VapiApiStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vapi dialer's follow-up e-mails through the HTTP API: a lead's outcome (end-of-call report, admin PATCH)
 * sends its e-mail through the Resend stand-in from the templates in settings, each kind once per lead, with
 * {@code follow_up_email_sent}; failed sends are retried; a lead without an address is skipped.
 */
class FollowUpEmailTest extends LeadTestBase {

    final ResendStandIn resend = ResendStandIn.shared();

    @BeforeEach
    void followUpsOn() {
        Reply r = put("/api/settings/email-templates", "{\"enabled\":true,"
                + "\"not_interested\":{\"subject\":\"Thanks {{contact_name}}\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterEach
    void followUpsOff() {
        put("/api/settings/email-templates", "{\"enabled\":false}");
    }

    private String leadWithEmail(String email) {
        return createId("/api/leads", "{\"contact_name\":\"Jane Roe\",\"company_name\":\"Roe Ltd\",\"phone\":\""
                + newE164() + "\",\"timezone\":\"" + zoneAtLocalHour(12) + "\",\"consent\":true,"
                + "\"consent_source\":\"web form\"" + (email == null ? "" : ",\"email\":\"" + email + "\"") + "}");
    }

    private static String address() {
        return "lead-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private List<ResendStandIn.Sent> sent(String email, String subjectStart) {
        return resend.sentTo(email).stream().filter(s -> s.subject().startsWith(subjectStart)).toList();
    }

    @Test
    void eachOutcomeSendsItsTemplatedEmailOnce() {
        automationOn();
        String email = address();
        String lead = leadWithEmail(email);
        VapiApiStandIn.CreatedCall call = callPlaced(lead);

        assertThat(vapi(endOfCallReport(call, "customer-ended-call", null)).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> !sent(email, "Thanks").isEmpty());
        ResendStandIn.Sent mail = sent(email, "Thanks").get(0);
        assertThat(mail.subject()).isEqualTo("Thanks Jane Roe");
        assertThat(mail.text()).startsWith("Hello Jane Roe, thank you for speaking with us.");
        assertThat(mail.request().path("from").asText()).isNotBlank();
        assertThat(mail.idempotencyKey()).startsWith("dcx-follow-up-");
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(leadRow(lead).get("follow_up_email_sent")));

        // the same report again, then back and forth: not_interested is never sent twice
        assertThat(vapi(endOfCallReport(call, "customer-ended-call", null)).status()).isEqualTo(200);
        assertThat(patch("/api/leads/" + lead, "{\"status\":\"scheduled\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !sent(email, "Your appointment is booked").isEmpty());
        assertThat(patch("/api/leads/" + lead, "{\"status\":\"not_interested\"}").status()).isEqualTo(200);
        assertThat(patch("/api/leads/" + lead, "{\"status\":\"no_answer\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !sent(email, "Sorry we missed you").isEmpty());

        assertThat(sent(email, "Thanks")).hasSize(1);
        assertThat(resend.sentTo(email)).hasSize(3);
        // the stand-in answers before the worker marks the row SENT
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT kind FROM follow_up_emails WHERE lead_id = ?::uuid AND status = 'SENT' ORDER BY kind",
                String.class, lead)).containsExactly("BOOKING_CONFIRMATION", "MISSED_CALL", "NOT_INTERESTED"));
    }

    @Test
    void aFailedSendIsRetriedAndALeadWithoutAnAddressIsSkipped() {
        String email = address();
        String lead = leadWithEmail(email);
        String silent = leadWithEmail(null);
        resend.fail(email, 500);

        assertThat(patch("/api/leads/" + silent, "{\"status\":\"not_interested\"}").status()).isEqualTo(200);
        assertThat(patch("/api/leads/" + lead, "{\"status\":\"not_interested\"}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> !resend.sentTo(email).isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> "SENT".equals(emailRow(lead).get("status")));
        assertThat(emailRow(lead).get("attempts")).isEqualTo(2);
        assertThat(resend.sentTo(email)).hasSize(1);
        Map<String, Object> skipped = emailRow(silent);
        assertThat(skipped.get("status")).isEqualTo("SKIPPED");
        assertThat(skipped.get("last_error")).isEqualTo("the lead has no e-mail address");
        assertThat(leadRow(silent).get("follow_up_email_sent")).isEqualTo(false);
    }

    @Test
    void templatesAreReadAndChangedThroughTheApi() {
        Reply before = get("/api/settings/email-templates");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().path("enabled").asBoolean()).isTrue();
        assertThat(before.json().path("missed_call").path("subject").asText()).isEqualTo("Sorry we missed you");
        assertThat(before.json().path("booking_confirmation").path("text").asText()).contains("{{contact_name}}");

        Reply changed = put("/api/settings/email-templates", "{\"missed_call\":{\"text\":\"Hi {{contact_name}}, call us back.\"}}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("missed_call").path("text").asText()).isEqualTo("Hi {{contact_name}}, call us back.");
        assertThat(changed.json().path("missed_call").path("subject").asText()).isEqualTo("Sorry we missed you");
        put("/api/settings/email-templates", "{\"missed_call\":{\"text\":\"" + before.json().path("missed_call").path("text").asText() + "\"}}");

        assertThat(put("/api/settings/email-templates", "{\"welcome\":{\"subject\":\"x\"}}").status()).isEqualTo(400);
        assertThat(put("/api/settings/email-templates", "{\"missed_call\":{\"subject\":\"\"}}").status()).isEqualTo(400);
    }

    private Map<String, Object> emailRow(String lead) {
        return jdbc.queryForMap("SELECT * FROM follow_up_emails WHERE lead_id = ?::uuid", lead);
    }
}
