package io.dcx.hub.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.HubTestBase;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A newcomer builds a whole catalog through the API, and every kind of bad input gets a clear problem+json. */
class CatalogApiTest extends HubTestBase {

    private static final AtomicInteger SEQ = new AtomicInteger(100);

    private static String e164() {
        return "+1555" + String.format("%07d", SEQ.incrementAndGet() + (int) (Math.random() * 1000) * 1000);
    }

    private static String twilioSid() {
        return "PN" + UUID.randomUUID().toString().replace("-", "");
    }

    private String create(String path, String body) {
        Reply r = post(path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        return r.text("id");
    }

    @Test
    void newcomerCreatesSupplierCampaignBuyerOfferNumberAndLead() {
        String supplier = create("/api/suppliers",
                "{\"name\":\"Acme Leads\",\"type\":\"EXTERNAL_PUBLISHER\",\"contact_email\":\"ops@acme.test\",\"contact_phone\":\"+15551230000\"}");
        String campaign = create("/api/campaigns",
                "{\"name\":\"SSDI FL\",\"vertical\":\"SSDI\",\"supplier_id\":\"" + supplier + "\","
                        + "\"geo_rules\":{\"allowed_states\":[\"FL\",\"GA\"]},\"recording_default_enabled\":true}");
        String buyer = create("/api/buyers",
                "{\"name\":\"Law Firm A\",\"endpoint_value\":\"+15550001111\",\"concurrency_limit\":5,\"daily_cap\":50,"
                        + "\"schedule_timezone\":\"America/New_York\","
                        + "\"schedule_rules\":[{\"days\":[\"MON\",\"TUE\"],\"start\":\"22:00\",\"end\":\"02:00\"}]}");
        String offer = create("/api/offers", "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"buffer_seconds\":90,\"priority\":1}");
        String number = create("/api/numbers", "{\"twilio_sid\":\"" + twilioSid() + "\",\"e164\":\"" + e164()
                + "\",\"campaign_id\":\"" + campaign + "\",\"supplier_id\":\"" + supplier + "\"}");
        String lead = create("/api/leads", "{\"contact_name\":\"Jane Roe\",\"company_name\":\"Roe LLC\",\"phone\":\"" + e164()
                + "\",\"email\":\"jane@roe.test\",\"timezone\":\"America/Chicago\",\"campaign_id\":\"" + campaign
                + "\",\"consent\":true,\"consent_source\":\"web form\",\"consent_at\":\"2026-11-01T10:00:00Z\","
                + "\"consent_url\":\"https://roe.test/consent\"}");

        JsonNode c = get("/api/campaigns/" + campaign).json();
        assertThat(c.path("supplier_id").asText()).isEqualTo(supplier);
        assertThat(c.path("geo_rules").path("allowed_states").get(1).asText()).isEqualTo("GA");
        assertThat(c.path("max_ring_seconds").asInt()).isEqualTo(30);

        JsonNode b = get("/api/buyers/" + buyer).json();
        assertThat(b.path("endpoint_type").asText()).isEqualTo("PHONE_NUMBER");
        assertThat(b.path("schedule_rules").get(0).path("start").asText()).isEqualTo("22:00");
        assertThat(b.path("recording_enabled").isNull()).isTrue();

        JsonNode o = get("/api/offers/" + offer).json();
        assertThat(o.path("payout_cents").asLong()).isEqualTo(5000);
        assertThat(o.path("pricing_model").asText()).isEqualTo("FIXED");
        assertThat(o.path("is_active").asBoolean()).isTrue();

        JsonNode n = get("/api/numbers/" + number).json();
        assertThat(n.path("stir_shaken_attestation").asText()).isEqualTo("UNKNOWN");

        JsonNode l = get("/api/leads/" + lead).json();
        assertThat(l.path("status").asText()).isEqualTo("pending");
        assertThat(l.path("consent").asBoolean()).isTrue();
        assertThat(l.path("consent_at").asText()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(l.path("call_attempts").asInt()).isZero();

        Reply offers = get("/api/offers?campaign_id=" + campaign);
        assertThat(offers.json().path("items")).hasSize(1);
        assertThat(offers.json().path("items").get(0).path("id").asText()).isEqualTo(offer);
        assertThat(get("/api/numbers?supplier_id=" + supplier).json().path("items")).hasSize(1);
        assertThat(get("/api/leads?campaign_id=" + campaign + "&status=pending").json().path("items")).hasSize(1);
    }

    @Test
    void listsPageWithAnOpaqueTokenAndFilters() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(create("/api/suppliers", "{\"name\":\"Paged " + i + "\",\"type\":\"INTERNAL_CALL_CENTER\"}"));
        }
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            Reply page = get("/api/suppliers?type=INTERNAL_CALL_CENTER&limit=2" + (token == null ? "" : "&next_token=" + token));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(2);
            page.json().path("items").forEach(s -> {
                assertThat(s.path("type").asText()).isEqualTo("INTERNAL_CALL_CENTER");
                assertThat(seen.add(s.path("id").asText())).as("no item twice").isTrue();
            });
            token = page.json().path("next_token").isNull() ? null : page.text("next_token");
            pages++;
        } while (token != null && pages < 20);
        assertThat(seen).containsAll(created);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void patchChangesOnlyGivenFieldsAndDeactivates() {
        String buyer = create("/api/buyers", "{\"name\":\"B\",\"endpoint_value\":\"+15550002222\",\"daily_cap\":10}");
        Reply r = patch("/api/buyers/" + buyer, "{\"daily_cap\":null,\"status\":\"INACTIVE\",\"weight\":7}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("daily_cap").isNull()).isTrue();
        assertThat(r.text("status")).isEqualTo("INACTIVE");
        assertThat(r.json().path("weight").asInt()).isEqualTo(7);
        assertThat(r.text("name")).isEqualTo("B");
        assertThat(r.text("updated_at")).isNotEqualTo(r.text("created_at"));
        assertThat(get("/api/buyers?status=INACTIVE").body()).contains(buyer);
    }

    @Test
    void patchIsCheckedAgainstTheMergedResource() {
        String buyer = create("/api/buyers", "{\"name\":\"SIP buyer\",\"endpoint_value\":\"+15550003333\"}");
        Reply r = patch("/api/buyers/" + buyer, "{\"endpoint_type\":\"SIP\"}");
        assertProblem(r, 400, "VALIDATION_FAILED", "endpoint_value");
        Reply ok = patch("/api/buyers/" + buyer, "{\"endpoint_type\":\"SIP\",\"endpoint_value\":\"sip:intake@pbx.example.com\"}");
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void unknownIdsAre404() {
        assertProblem(get("/api/suppliers/" + UUID.randomUUID()), 404, "NOT_FOUND", null);
        assertProblem(get("/api/buyers/not-a-uuid"), 404, "NOT_FOUND", null);
        assertProblem(patch("/api/campaigns/" + UUID.randomUUID(), "{\"name\":\"x\"}"), 404, "NOT_FOUND", null);
        assertProblem(get("/api/no-such-thing"), 404, "NOT_FOUND", null);
    }

    @Test
    void unknownReferenceIs422NamingTheField() {
        String buyer = create("/api/buyers", "{\"name\":\"B2\",\"endpoint_value\":\"+15550004444\"}");
        Reply r = post("/api/offers", "{\"campaign_id\":\"" + UUID.randomUUID() + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":100}");
        assertProblem(r, 422, "REFERENCE_NOT_FOUND", "campaign_id");
    }

    @Test
    void duplicatesAre409NamingTheField() {
        String campaign = create("/api/campaigns", "{\"name\":\"C\",\"vertical\":\"Medicare\"}");
        String buyer = create("/api/buyers", "{\"name\":\"B3\",\"endpoint_value\":\"+15550005555\"}");
        String offer = "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer + "\",\"payout_cents\":100}";
        create("/api/offers", offer);
        assertProblem(post("/api/offers", offer), 409, "CONFLICT", "buyer_id");

        String e164 = e164();
        create("/api/numbers", "{\"twilio_sid\":\"" + twilioSid() + "\",\"e164\":\"" + e164 + "\"}");
        assertProblem(post("/api/numbers", "{\"twilio_sid\":\"" + twilioSid() + "\",\"e164\":\"" + e164 + "\"}"),
                409, "CONFLICT", "e164");

        String phone = e164();
        create("/api/leads", "{\"contact_name\":\"A\",\"phone\":\"" + phone + "\",\"campaign_id\":\"" + campaign + "\"}");
        assertProblem(post("/api/leads", "{\"contact_name\":\"B\",\"phone\":\"" + phone + "\",\"campaign_id\":\"" + campaign + "\"}"),
                409, "CONFLICT", "phone");
    }

    @Test
    void phoneNumbersMustBeE164Everywhere() {
        assertProblem(post("/api/suppliers", "{\"name\":\"S\",\"type\":\"NETWORK\",\"contact_phone\":\"555-1234\"}"),
                400, "VALIDATION_FAILED", "contact_phone");
        assertProblem(post("/api/buyers", "{\"name\":\"B\",\"endpoint_value\":\"5551234\"}"),
                400, "VALIDATION_FAILED", "endpoint_value");
        assertProblem(post("/api/campaigns", "{\"name\":\"C\",\"vertical\":\"V\",\"fallback_number\":\"+0123\"}"),
                400, "VALIDATION_FAILED", "fallback_number");
        assertProblem(post("/api/numbers", "{\"twilio_sid\":\"" + twilioSid() + "\",\"e164\":\"15551234567\"}"),
                400, "VALIDATION_FAILED", "e164");
        assertProblem(post("/api/leads", "{\"contact_name\":\"L\",\"phone\":\"+1 555 123 4567\"}"),
                400, "VALIDATION_FAILED", "phone");
    }

    @Test
    void malformedJsonWrongTypesAndUnknownFieldsAre400() {
        assertProblem(post("/api/suppliers", "{\"name\":\"S\",\"type\":"), 400, "MALFORMED_JSON", null);
        assertProblem(post("/api/buyers", "{\"name\":\"B\",\"endpoint_value\":\"+15550001234\",\"concurrency_limit\":\"ten\"}"),
                400, "VALIDATION_FAILED", "concurrency_limit");
        assertProblem(post("/api/suppliers", "{\"name\":\"S\",\"type\":\"NETWORK\",\"colour\":\"red\"}"),
                400, "VALIDATION_FAILED", "colour");
        assertProblem(post("/api/suppliers", "{\"type\":\"NETWORK\"}"), 400, "VALIDATION_FAILED", "name");
        assertProblem(post("/api/offers", "{\"campaign_id\":\"nope\",\"buyer_id\":\"" + UUID.randomUUID() + "\",\"payout_cents\":1}"),
                400, "VALIDATION_FAILED", "campaign_id");
        assertProblem(post("/api/buyers", "{\"name\":\"B\",\"endpoint_value\":\"+15550001234\","
                + "\"schedule_rules\":[{\"days\":[\"MON\"],\"start\":\"25:00\",\"end\":\"02:00\"}]}"),
                400, "VALIDATION_FAILED", "schedule_rules.0.start");
        assertProblem(patch("/api/suppliers/" + UUID.randomUUID(), "{}"), 400, "VALIDATION_FAILED", null);
    }

    @Test
    void serverSetAndCreateOnlyFieldsCannotBeWritten() {
        String number = create("/api/numbers", "{\"twilio_sid\":\"" + twilioSid() + "\",\"e164\":\"" + e164() + "\"}");
        Reply r = patch("/api/numbers/" + number, "{\"e164\":\"" + e164() + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("field")).isEqualTo("e164");
    }

    @Test
    void timeZonesMustBeIana() {
        assertProblem(post("/api/leads", "{\"contact_name\":\"L\",\"phone\":\"" + e164() + "\",\"timezone\":\"Mars/Olympus\"}"),
                400, "VALIDATION_FAILED", "timezone");
        assertProblem(post("/api/buyers", "{\"name\":\"B\",\"endpoint_value\":\"+15550001234\",\"schedule_timezone\":\"+05:00\"}"),
                400, "VALIDATION_FAILED", "schedule_timezone");
    }

    @Test
    void badPagingParametersAre400() {
        assertProblem(get("/api/suppliers?next_token=garbage"), 400, "VALIDATION_FAILED", "next_token");
        assertProblem(get("/api/suppliers?limit=1000"), 400, "VALIDATION_FAILED", "limit");
        assertProblem(get("/api/offers?campaign_id=not-a-uuid"), 400, "VALIDATION_FAILED", "campaign_id");
    }

    @Test
    void oversizedBodyIs413AndWrongMediaTypeIs415() {
        String big = "{\"name\":\"" + "x".repeat(70_000) + "\",\"type\":\"NETWORK\"}";
        assertProblem(post("/api/suppliers", big), 413, "PAYLOAD_TOO_LARGE", null);
        assertProblem(send("POST", "/api/suppliers", "name=x", adminToken(), "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE", null);
    }

    static void assertProblem(Reply r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).as(r.body()).isEqualTo(code);
        assertThat(r.text("message")).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(r.text("field")).as(r.body()).isEqualTo(field);
        }
    }
}
