package io.dcx.hub.leads;

import static io.dcx.hub.resource.Field.Type.BOOLEAN;
import static io.dcx.hub.resource.Field.Type.INTEGER;
import static io.dcx.hub.resource.Field.Type.TEXT;
import static io.dcx.hub.resource.Field.Type.TIMESTAMP;

import io.dcx.hub.catalog.CatalogResources;
import io.dcx.hub.resource.Field;
import io.dcx.hub.resource.ResourceDefinition;
import io.dcx.hub.support.Validations;
import java.util.List;
import java.util.Map;

/** Leads of the AI dialer (ai-dialer-vapi seed) with consent evidence; POST is also the inbound lead webhook (FR-21). */
public final class LeadResources {

    private LeadResources() {}

    /** The owner of a lead: a user account ({@code users}). */
    static final ResourceDefinition.Ref USERS = new ResourceDefinition.Ref("users", "User");

    public static final ResourceDefinition LEADS = new ResourceDefinition("Lead", "Leads", "leads",
            List.of(Field.reference("campaign_id", CatalogResources.CAMPAIGN, true), Field.of("company_name", TEXT),
                    Field.of("contact_name", TEXT), Field.of("phone", TEXT), Field.of("email", TEXT),
                    Field.of("status", TEXT), Field.patchOnly("call_attempts", INTEGER),
                    Field.readOnly("last_called_at", TIMESTAMP), Field.of("timezone", TEXT),
                    Field.of("consent", BOOLEAN), Field.of("consent_source", TEXT), Field.of("consent_at", TIMESTAMP),
                    Field.of("consent_text", TEXT), Field.of("consent_url", TEXT),
                    Field.readOnly("cal_booking_uid", TEXT), Field.readOnly("follow_up_email_sent", BOOLEAN),
                    Field.readOnly("status_reason", TEXT), Field.readOnly("next_attempt_at", TIMESTAMP),
                    Field.readOnly("transcript_url", TEXT),
                    Field.readOnly("summary", TEXT),
                    Field.reference("owner_user_id", USERS, false)),
            List.of("status", "campaign_id", "owner_user_id"),
            Map.of("leads_campaign_phone_key", "phone"),
            lead -> {
                if (lead.hasNonNull("timezone")) {
                    Validations.requireTimeZone("timezone", lead.get("timezone").asText());
                }
            });
}
