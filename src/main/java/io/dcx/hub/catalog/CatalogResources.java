package io.dcx.hub.catalog;

import static io.dcx.hub.resource.Field.Type.BOOLEAN;
import static io.dcx.hub.resource.Field.Type.INTEGER;
import static io.dcx.hub.resource.Field.Type.JSON;
import static io.dcx.hub.resource.Field.Type.LONG;
import static io.dcx.hub.resource.Field.Type.TEXT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.resource.Field;
import io.dcx.hub.resource.ResourceDefinition;
import io.dcx.hub.resource.ResourceDefinition.Ref;
import io.dcx.hub.support.Validations;
import java.util.List;
import java.util.Map;

/** The exchange's catalog (PRD §5, §13.3): suppliers, buyers, campaigns, offers and phone numbers. */
public final class CatalogResources {

    static final Ref SUPPLIER = new Ref("suppliers", "Supplier");
    static final Ref BUYER = new Ref("buyers", "Buyer");
    public static final Ref CAMPAIGN = new Ref("campaigns", "Campaign");

    private CatalogResources() {}

    public static final ResourceDefinition SUPPLIERS = new ResourceDefinition("Supplier", "Suppliers", "suppliers",
            List.of(Field.of("name", TEXT), Field.of("type", TEXT), Field.of("contact_email", TEXT),
                    Field.of("contact_phone", TEXT), Field.of("status", TEXT)),
            List.of("status", "type"),
            Map.of(),
            ResourceDefinition.Rules.NONE);

    public static final ResourceDefinition BUYERS = new ResourceDefinition("Buyer", "Buyers", "buyers",
            List.of(Field.of("name", TEXT), Field.of("endpoint_type", TEXT), Field.of("endpoint_value", TEXT),
                    Field.of("status", TEXT), Field.of("concurrency_limit", INTEGER), Field.of("daily_cap", INTEGER),
                    Field.of("weight", INTEGER), Field.of("schedule_timezone", TEXT), Field.of("schedule_rules", JSON),
                    Field.of("recording_enabled", BOOLEAN), Field.of("rtb_endpoint", TEXT),
                    Field.of("before_dial_url", TEXT)),
            List.of("status"),
            Map.of(),
            CatalogResources::checkBuyer);

    public static final ResourceDefinition CAMPAIGNS = new ResourceDefinition("Campaign", "Campaigns", "campaigns",
            List.of(Field.of("name", TEXT), Field.of("vertical", TEXT), Field.of("geo_rules", JSON),
                    Field.reference("supplier_id", SUPPLIER, true), Field.of("status", TEXT),
                    Field.of("recording_default_enabled", BOOLEAN), Field.of("recording_consent_source", TEXT),
                    Field.of("max_ring_seconds", INTEGER),
                    Field.of("duplicate_caller_window_seconds", INTEGER), Field.of("fallback_number", TEXT),
                    Field.of("fallback_message", TEXT), Field.of("supplier_payout_model", TEXT),
                    Field.of("supplier_payout_cents", LONG), Field.of("supplier_payout_buffer_seconds", INTEGER),
                    Field.of("rtb_deadline_ms", INTEGER), Field.of("rtb_ping_cap_per_minute", INTEGER),
                    Field.of("supplier_revshare_percent", INTEGER)),
            List.of("status", "supplier_id"),
            Map.of(),
            ResourceDefinition.Rules.NONE);

    public static final ResourceDefinition OFFERS = new ResourceDefinition("Offer", "Offers", "offers",
            List.of(Field.reference("campaign_id", CAMPAIGN, false), Field.reference("buyer_id", BUYER, false),
                    Field.of("pricing_model", TEXT), Field.of("payout_cents", LONG), Field.of("buffer_seconds", INTEGER),
                    Field.of("revshare_percent", INTEGER), Field.of("attribution_window_days", INTEGER), Field.of("daily_cap", INTEGER),
                    Field.of("priority", INTEGER), Field.of("weight", INTEGER), Field.of("is_active", BOOLEAN),
                    Field.of("rtb_floor_cents", LONG)),
            List.of("campaign_id", "buyer_id", "is_active"),
            Map.of("offers_campaign_buyer_key", "buyer_id"),
            ResourceDefinition.Rules.NONE);

    public static final ResourceDefinition NUMBERS = new ResourceDefinition("Number", "Numbers", "phone_numbers",
            List.of(Field.createOnly("twilio_sid", TEXT), Field.createOnly("e164", TEXT),
                    Field.reference("campaign_id", CAMPAIGN, true), Field.reference("supplier_id", SUPPLIER, true),
                    Field.of("pool_type", TEXT), Field.of("status", TEXT), Field.of("trust_profile_id", TEXT),
                    Field.of("stir_shaken_attestation", TEXT), Field.of("a2p_brand_id", TEXT),
                    Field.of("a2p_campaign_id", TEXT)),
            List.of("campaign_id", "supplier_id", "status"),
            Map.of("phone_numbers_twilio_sid_key", "twilio_sid", "phone_numbers_e164_key", "e164"),
            ResourceDefinition.Rules.NONE);

    public static final List<ResourceDefinition> ALL = List.of(SUPPLIERS, BUYERS, CAMPAIGNS, OFFERS, NUMBERS);

    /** A buyer's endpoint must match its type, and its schedule must name a real IANA time zone. */
    static void checkBuyer(ObjectNode buyer) {
        String type = buyer.path("endpoint_type").asText("PHONE_NUMBER");
        String endpoint = buyer.path("endpoint_value").asText(null);
        if (endpoint != null) {
            if ("SIP".equals(type) && !endpoint.matches("^sips?:[^\\s]+@[^\\s]+$")) {
                throw ProblemException.validation("endpoint_value", "A SIP endpoint must be a sip: URI such as sip:agent@pbx.example.com");
            }
            if (!"SIP".equals(type) && !Validations.isE164(endpoint)) {
                throw ProblemException.validation("endpoint_value", "A PHONE_NUMBER endpoint must be an E.164 number such as +15551234567");
            }
        }
        for (String hook : List.of("rtb_endpoint", "before_dial_url")) {
            if (buyer.hasNonNull(hook) && !buyer.get(hook).asText().matches("^https?://[^\\s]+$")) {
                throw ProblemException.validation(hook, "Must be an http(s) URL such as https://buyer.example.com/" + hook);
            }
        }
        if (buyer.hasNonNull("schedule_timezone")) {
            Validations.requireTimeZone("schedule_timezone", buyer.get("schedule_timezone").asText());
        }
    }
}
