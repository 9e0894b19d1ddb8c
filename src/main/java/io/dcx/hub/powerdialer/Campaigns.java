package io.dcx.hub.powerdialer;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.compliance.DncService;
import io.dcx.hub.compliance.OptOutDispositions;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.provider.twilio.TwilioAccessTokens;
import io.dcx.hub.security.Caller;
import io.dcx.hub.security.Role;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The campaign API's operations ({@link PowerDialerApiRoutes}): create, read, dial next, disposition, end, and the
 * agent's access token. Every operation checks ownership: ADMIN sees every campaign, a USER only its own (another
 * user's campaign is a 403).
 */
@Service
class Campaigns {

    private final CampaignStore campaigns;
    private final LegStore legs;
    private final PowerDialerEvents events;
    private final HoldQueue holdQueue;
    private final DncService dnc;
    private final OptOutDispositions optOuts;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher signals;
    private final PowerDialerProperties properties;
    private final TwilioAccessTokens.Credentials tokenCredentials;

    Campaigns(CampaignStore campaigns, LegStore legs, PowerDialerEvents events, HoldQueue holdQueue, DncService dnc,
            TransactionTemplate tx, ApplicationEventPublisher signals, PowerDialerProperties properties,
            io.dcx.hub.config.HubProperties hub,
            @Value("${dcx.compliance.opt-out-dispositions:DO_NOT_CALL,DNC,OPT_OUT,OPTED_OUT,STOP_CALLING,REMOVE_FROM_LIST}")
            List<String> optOutDispositions) {
        this.campaigns = campaigns;
        this.legs = legs;
        this.events = events;
        this.holdQueue = holdQueue;
        this.dnc = dnc;
        this.tx = tx;
        this.signals = signals;
        this.properties = properties;
        List<String> optOut = new ArrayList<>(optOutDispositions);
        optOut.add("DNC");
        this.optOuts = new OptOutDispositions(optOut);
        this.tokenCredentials = new TwilioAccessTokens.Credentials(hub.twilio().accountSid(), properties.apiKey(),
                properties.apiSecret(), properties.twimlAppSid());
    }

    // ---------------------------------------------------------------- create

    Map<String, Object> create(JsonNode body, Caller caller) {
        // the contract validated the body; checked again here because a body in another encoding than its
        // Content-Type says can pass the validator with different characters
        String name = body.path("name").asText();
        if (name.isBlank() || name.length() > 200) {
            throw ProblemException.validation("name", "name is required (at most 200 characters)");
        }
        String identity = body.path("agent_identity").asText();
        if (!identity.matches("[A-Za-z0-9_.@-]{1,100}")) {
            throw ProblemException.validation("agent_identity", "agent_identity must be 1-100 of A-Z a-z 0-9 _ . @ -");
        }
        String callerId = e164("caller_id", body.path("caller_id").asText());
        int lines = body.path("lines_per_agent").asInt(3);
        if (lines < 1 || lines > 50) {
            throw ProblemException.validation("lines_per_agent", "lines_per_agent must be between 1 and 50");
        }
        JsonNode amd = body.path("amd");
        AmdPolicy policy;
        try {
            policy = new AmdPolicy(AmdPolicy.unknownOf(text(amd, "unknown")), AmdPolicy.machineOf(text(amd, "machine")));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("amd", "amd.unknown must be connect or hang_up, amd.machine hang_up or voicemail");
        }
        String voicemail = text(amd, "voicemail_message");
        if (policy.machine() == AmdPolicy.MachineAction.VOICEMAIL && (voicemail == null || voicemail.isBlank())) {
            throw ProblemException.validation("amd.voicemail_message", "amd.voicemail_message is required when amd.machine is voicemail");
        }
        List<CampaignStore.NewContact> contacts = new ArrayList<>();
        int index = 0;
        for (JsonNode c : body.path("contacts")) {
            String zone = text(c, "timezone");
            try {
                ZoneId.of(zone);
            } catch (DateTimeException | NullPointerException e) {
                throw ProblemException.validation("contacts[" + index + "].timezone",
                        "contacts[" + index + "].timezone must be an IANA time zone such as America/New_York");
            }
            contacts.add(new CampaignStore.NewContact(null, text(c, "name"),
                    e164("contacts[" + index + "].phone_number", c.path("phone_number").asText()), zone,
                    c.path("consent").asBoolean(false)));
            index++;
        }
        List<UUID> leadIds = new ArrayList<>();
        for (JsonNode id : body.path("lead_ids")) {
            try {
                leadIds.add(UUID.fromString(id.asText()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation("lead_ids", "lead_ids must be UUIDs");
            }
        }
        if (!leadIds.isEmpty()) {
            Map<UUID, CampaignStore.LeadContact> found = new LinkedHashMap<>();
            campaigns.leads(leadIds).forEach(l -> found.put(l.id(), l));
            for (UUID id : leadIds) {
                CampaignStore.LeadContact lead = found.get(id);
                if (lead == null) {
                    throw ProblemException.unknownReference("lead_ids", "lead", id);
                }
                if (lead.phone() == null) {
                    throw ProblemException.validation("lead_ids", "lead " + id + " has no phone number");
                }
                contacts.add(new CampaignStore.NewContact(id, lead.name(), lead.phone(), null, false));
            }
        }
        if (contacts.isEmpty()) {
            throw ProblemException.validation("contacts", "a campaign needs contacts or lead_ids");
        }
        UUID owner = caller.isAdmin() ? null : caller.userId();
        UUID id = tx.execute(s -> {
            CampaignStore.Agent agent = campaigns.agent(identity, text(body, "agent_name") == null ? identity
                    : text(body, "agent_name"), owner);
            if (!caller.isAdmin() && agent.userId() != null && !agent.userId().equals(owner)) {
                throw ProblemException.conflict("agent_identity", "agent_identity belongs to another user");
            }
            UUID campaignId = campaigns.insert(name, owner, agent.id(), callerId, lines, policy, voicemail);
            campaigns.insertContacts(campaignId, contacts);
            return campaignId;
        });
        return view(campaigns.find(id).orElseThrow());
    }

    // ---------------------------------------------------------------- read

    Map<String, Object> get(String id, Caller caller) {
        return view(visible(id, caller));
    }

    /** The campaign if the caller may see it: 404 when it does not exist, 403 when it is another user's. */
    CampaignStore.Campaign visible(String id, Caller caller) {
        CampaignStore.Campaign c = campaigns.find(uuid(id))
                .orElseThrow(() -> ProblemException.notFound("Dialer campaign", id));
        if (!mayAccess(c, caller)) {
            throw new ProblemException(403, "FORBIDDEN", "Dialer campaign " + id + " belongs to another user");
        }
        return c;
    }

    private static boolean mayAccess(CampaignStore.Campaign c, Caller caller) {
        return caller.isAdmin() || (caller.has(Role.USER) && caller.userId() != null
                && caller.userId().equals(c.ownerUserId()));
    }

    Map<String, Object> view(CampaignStore.Campaign c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id().toString());
        out.put("name", c.name());
        out.put("status", c.status());
        out.put("agent_identity", c.agentIdentity());
        out.put("caller_id", c.fromNumber());
        out.put("lines_per_agent", c.parallelLines());
        out.put("conference", c.conferenceName());
        Map<String, Object> amd = new LinkedHashMap<>();
        amd.put("unknown", c.unknownAction().equals("CONNECT") ? "connect" : "hang_up");
        amd.put("machine", c.machineAction().equals("VOICEMAIL") ? "voicemail" : "hang_up");
        amd.put("voicemail_message", c.voicemailMessage());
        amd.put("machine_detection", c.machineDetection());
        out.put("amd", amd);
        List<LegStore.Leg> all = legs.legs(c.id());
        Map<String, Object> connected = null;
        if (c.connectedAttemptId() != null) {
            LegStore.Leg leg = all.stream().filter(l -> l.id().equals(c.connectedAttemptId())).findFirst().orElse(null);
            if (leg != null) {
                connected = new LinkedHashMap<>();
                connected.put("leg_id", leg.id().toString());
                connected.put("contact_id", leg.contactId().toString());
                connected.put("call_sid", leg.callSid());
                connected.put("connected_at", c.connectedAt() == null ? null : c.connectedAt().toString());
            }
        }
        out.put("connected", connected);
        List<Map<String, Object>> contactViews = new ArrayList<>();
        for (CampaignStore.Contact k : campaigns.contacts(c.id())) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", k.id().toString());
            v.put("position", k.position());
            v.put("name", k.name());
            v.put("phone_number", k.phoneNumber());
            v.put("lead_id", k.leadId() == null ? null : k.leadId().toString());
            v.put("status", k.status());
            v.put("attempts", k.attempts());
            v.put("disposition", k.disposition());
            v.put("blocked_rule", k.blockedRule());
            v.put("blocked_reason", k.blockedReason());
            contactViews.add(v);
        }
        out.put("contacts", contactViews);
        List<Map<String, Object>> legViews = new ArrayList<>();
        for (LegStore.Leg l : all) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", l.id().toString());
            v.put("contact_id", l.contactId().toString());
            v.put("status", l.status());
            v.put("live", l.live() || l.status().equals("CONNECTED"));
            v.put("call_sid", l.callSid());
            v.put("answered_by", l.answeredBy());
            v.put("dialed_at", iso(l.dialedAt()));
            v.put("queued_at", iso(l.queuedAt()));
            v.put("connected_at", iso(l.connectedAt()));
            v.put("ended_at", iso(l.endedAt()));
            v.put("error", l.error());
            legViews.add(v);
        }
        out.put("legs", legViews);
        out.put("created_at", iso(c.createdAt()));
        out.put("ended_at", iso(c.endedAt()));
        return out;
    }

    // ---------------------------------------------------------------- dial next

    Map<String, Object> dialNext(String id, JsonNode body, Caller caller) {
        UUID campaignId = visible(id, caller).id();
        if (body != null && body.hasNonNull("count") && (body.get("count").asInt() < 1 || body.get("count").asInt() > 50)) {
            throw ProblemException.validation("count", "count must be between 1 and 50");
        }
        List<Map<String, Object>> queued = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            CampaignStore.Campaign c = campaigns.lock(campaignId).orElseThrow();
            if (c.status().equals("ENDED")) {
                throw new ProblemException(409, "CAMPAIGN_ENDED", "The campaign has ended");
            }
            if (c.connectedAttemptId() != null) {
                throw new ProblemException(409, "AGENT_CONNECTED",
                        "The agent is connected to a contact; post its disposition before dialling on");
            }
            int wanted = body != null && body.hasNonNull("count") ? body.get("count").asInt() : c.parallelLines();
            int free = Math.max(0, c.parallelLines() - legs.liveCount(c.id()));
            List<UUID> legIds = new ArrayList<>();
            for (CampaignStore.Contact contact : campaigns.takeNext(c.id(), Math.min(wanted, free))) {
                UUID leg = legs.insert(c.id(), contact.id(), c.agentId(), contact.phoneNumber(),
                        JobTracing.traceparent(null));
                legIds.add(leg);
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("leg_id", leg.toString());
                v.put("contact_id", contact.id().toString());
                queued.add(v);
            }
            if (!legIds.isEmpty()) {
                campaigns.markDialing(c.id());
                signals.publishEvent(new LegPlacementRoutes.LegsQueued(legIds));
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign_id", campaignId.toString());
        out.put("legs", queued);
        out.put("pending_contacts", campaigns.contacts(campaignId).stream().filter(k -> k.status().equals("PENDING")).count());
        return out;
    }

    // ---------------------------------------------------------------- disposition

    Map<String, Object> disposition(String id, JsonNode body, Caller caller) {
        UUID campaignId = visible(id, caller).id();
        String disposition = body.path("disposition").asText();
        String notes = text(body, "notes");
        tx.executeWithoutResult(s -> {
            CampaignStore.Campaign c = campaigns.lock(campaignId).orElseThrow();
            if (c.connectedAttemptId() == null) {
                throw new ProblemException(409, "NOT_CONNECTED", "No contact is connected to the agent");
            }
            LegStore.Leg leg = legs.find(c.connectedAttemptId()).orElseThrow();
            legs.disposition(leg.id(), disposition, notes);
            campaigns.disposition(leg.contactId(), disposition);
            boolean dncAdded = false;
            if (optOuts.isOptOut(disposition, null) && leg.toNumber() != null) {
                dncAdded = dnc.optOut(leg.toNumber(), "CALL_DISPOSITION", "power dialer disposition " + disposition,
                        caller.subject()).created();
            }
            campaigns.release(c.id());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("leg_id", leg.id().toString());
            fields.put("contact_id", leg.contactId().toString());
            fields.put("disposition", disposition);
            fields.put("dnc_added", dncAdded);
            events.campaign("DIALER_DISPOSITION", c.id(), fields);
        });
        return view(campaigns.find(campaignId).orElseThrow());
    }

    // ---------------------------------------------------------------- end

    Map<String, Object> end(String id, Caller caller) {
        UUID campaignId = visible(id, caller).id();
        List<LegStore.Leg> ended = tx.execute(s -> {
            CampaignStore.Campaign c = campaigns.lock(campaignId).orElseThrow();
            List<LegStore.Leg> out = new ArrayList<>(legs.endOthers(c.id(), null));
            for (LegStore.Leg l : out) {
                campaigns.contactEnded(l.contactId(), "PENDING", null);
                events.leg("DIALER_LEG_ENDED", l, Map.of("reason", "campaign_ended"));
            }
            if (c.connectedAttemptId() != null) {
                legs.find(c.connectedAttemptId()).flatMap(l -> legs.ended(l.id(), l.callSid(), "COMPLETED"))
                        .ifPresent(l -> {
                            events.leg("DIALER_LEG_ENDED", l, Map.of("reason", "campaign_ended"));
                            out.add(l);
                        });
            }
            if (!c.status().equals("ENDED")) {
                campaigns.end(c.id());
                events.campaign("DIALER_CAMPAIGN_ENDED", c.id(), Map.of("legs_hung_up", out.size()));
            }
            return out;
        });
        holdQueue.hangUp(ended);
        return view(campaigns.find(campaignId).orElseThrow());
    }

    // ---------------------------------------------------------------- the agent's access token

    Map<String, Object> token(JsonNode body, Caller caller) {
        CampaignStore.Campaign c = visible(body.path("campaign_id").asText(), caller);
        if (!tokenCredentials.complete()) {
            throw new ProblemException(503, "TOKENS_NOT_CONFIGURED", "Access tokens need TWILIO_ACCOUNT_SID, "
                    + "TWILIO_API_KEY, TWILIO_API_SECRET and TWILIO_TWIML_APP_SID");
        }
        int ttl = (int) properties.tokenTtl().toSeconds();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", TwilioAccessTokens.voiceToken(tokenCredentials, c.agentIdentity(), ttl));
        out.put("identity", c.agentIdentity());
        out.put("campaign_id", c.id().toString());
        out.put("ttl_seconds", ttl);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("Dialer campaign", String.valueOf(id));
        }
    }

    private static String e164(String field, String value) {
        if (value == null || !value.matches("\\+[1-9][0-9]{1,14}")) {
            throw ProblemException.validation(field, field + " must be an E.164 number such as +15551234567");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String iso(java.time.Instant i) {
        return i == null ? null : i.toString();
    }
}
