package io.dcx.hub.followups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.provider.resend.ResendClient;
import io.dcx.hub.provider.resend.ResendProperties;
import io.dcx.hub.work.DurableRetrySchedule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follow-up e-mails of the Vapi dialer: while {@code enabled} (settings {@code email_templates}), a lead's status change enqueues the e-mail of its kind once per lead
 * ({@link FollowUpRules}); the steps of {@code follow-up-email} load it, fill the template and send it through the
 * Resend-compatible API with the row id as Idempotency-Key, then mark it SENT and the lead's
 * {@code follow_up_email_sent}. Failed sends are retried on {@code dcx.follow-ups.retry-schedule}; a refused one, or
 * the last try, is FAILED; a lead without an address or a kind without a template is SKIPPED.
 */
@Service
class FollowUps {

    private static final String EMAIL = "dcx.followUpEmail";
    private static final Logger log = LoggerFactory.getLogger(FollowUps.class);

    private final FollowUpStore store;
    private final TransactionTemplate tx;
    private final ResendClient resend;
    private final ResendProperties resendProperties;
    private final FollowUpProperties properties;
    private final ObjectMapper json;
    private final DurableRetrySchedule retries;

    FollowUps(FollowUpStore store, TransactionTemplate tx, ResendClient resend, ResendProperties resendProperties,
            FollowUpProperties properties, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.resend = resend;
        this.resendProperties = resendProperties;
        this.properties = properties;
        this.json = json;
        this.retries = new DurableRetrySchedule(properties.retrySchedule());
    }

    /** LEAD_STATUS_CHANGED: the e-mail its new status asks for, once per lead; true when one was enqueued. */
    boolean onLeadStatus(String eventJson) throws JsonProcessingException {
        JsonNode event = json.readTree(eventJson);
        Optional<String> kind = FollowUpRules.kindOf(event.path("status").asText(null));
        String lead = event.path("lead_id").asText(null);
        if (kind.isEmpty() || lead == null || !store.enabled()) {
            return false;
        }
        return store.enqueue(UUID.fromString(lead), kind.get()).isPresent();
    }

    /** The claim: due e-mails leased to this instance (none while no e-mail API key is configured). */
    List<UUID> due() {
        return resendProperties.enabled() ? store.claimDue(properties.claimLease()) : List.of();
    }

    /** Step: the e-mail whose id is the body, while this instance holds it; stops the exchange otherwise. */
    void load(Exchange e) {
        store.claimed(e.getMessage().getBody(UUID.class))
                .ifPresentOrElse(m -> e.setProperty(EMAIL, m), () -> e.setRouteStop(true));
    }

    /** Step: the template filled and sent; SENT with the lead's follow_up_email_sent, or SKIPPED when unsendable. */
    void send(Exchange e) throws Exception {
        FollowUpStore.Email email = e.getProperty(EMAIL, FollowUpStore.Email.class);
        JsonNode template = email.template() == null ? null : json.readTree(email.template());
        if (email.address() == null || email.address().isBlank()) {
            store.skipped(email.id(), "the lead has no e-mail address");
            return;
        }
        if (template == null || !template.path("subject").isTextual() || !template.path("text").isTextual()) {
            store.skipped(email.id(), "no template for " + email.kind());
            return;
        }
        Map<String, String> values = new HashMap<>();
        values.put("contact_name", email.contactName());
        values.put("company_name", email.companyName());
        values.put("booking_uid", email.bookingUid());
        values.put("email", email.address());
        String id = resend.send(new ResendClient.Email(email.address(),
                FollowUpRules.render(template.get("subject").asText(), values),
                FollowUpRules.render(template.get("text").asText(), values), "dcx-follow-up-" + email.id()));
        tx.executeWithoutResult(status -> store.sent(email, id));
    }

    /** A step failed: a refused e-mail is FAILED; otherwise retried on the schedule, then FAILED. */
    void failed(Exchange e) {
        FollowUpStore.Email email = e.getProperty(EMAIL, FollowUpStore.Email.class);
        if (email == null) {
            return;
        }
        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown" : cause.getMessage();
        DurableRetrySchedule schedule = cause instanceof ResendClient.EmailRejected ? DurableRetrySchedule.NONE : retries;
        schedule.afterFailure(log, "Follow-up e-mail " + email.id() + " (" + email.kind() + ")", email.attempts(),
                reason, wait -> store.retryAt(email.id(), reason, wait), () -> store.failed(email.id(), reason));
    }

    JsonNode templates() throws JsonProcessingException {
        return json.readTree(store.templates());
    }

    /** Merges the sent templates (and fields) into the stored ones, under the row's lock. */
    JsonNode saveTemplates(JsonNode body) {
        ObjectNode update = FollowUpRules.templatesUpdate(body, json);
        tx.executeWithoutResult(status -> {
            try {
                ObjectNode current = (ObjectNode) json.readTree(store.templatesForUpdate());
                update.fields().forEachRemaining(f -> {
                    if (!f.getValue().isObject()) {
                        current.set(f.getKey(), f.getValue());
                        return;
                    }
                    JsonNode existing = current.get(f.getKey());
                    ObjectNode merged = existing != null && existing.isObject() ? (ObjectNode) existing
                            : current.putObject(f.getKey());
                    merged.setAll((ObjectNode) f.getValue());
                    current.set(f.getKey(), merged);
                });
                store.saveTemplates(json.writeValueAsString(current));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        });
        try {
            return templates();
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
