package io.dcx.hub.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.catalog.CatalogSnapshot;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Number pools (dynamic number insertion): {@code POST /api/numbers/pools/{campaign id}/lease} hands a visitor
 * session one of the campaign's {@code DYNAMIC} numbers for {@code ttl} seconds (the same number again while the
 * session's lease runs; a new request extends it), and a call to a leased number carries the session's attributes
 * onto its call session ({@link #attribute}). An expired lease frees its number; the least recently leased free
 * number goes first, so a late caller of an old lease is unlikely to reach a new visitor's number.
 */
@Component
class NumberPools {

    static final int DEFAULT_TTL = 1800;
    static final int MAX_TTL = 86_400;
    static final int MIN_TTL = 1;
    private static final int MAX_ATTRIBUTES = 30;

    private final NumberPoolStore store;
    private final ObjectMapper json;
    private final CatalogSnapshot catalog;

    NumberPools(NumberPoolStore store, ObjectMapper json, CatalogSnapshot catalog) {
        this.store = store;
        this.json = json;
        this.catalog = catalog;
    }

    /** What a lease request asks for, checked. */
    record LeaseRequest(String sessionId, int ttlSeconds, ObjectNode attributes) {

        static LeaseRequest parse(JsonNode body) {
            JsonNode session = body.get("session_id");
            if (session == null || !session.isTextual() || session.asText().isBlank() || session.asText().length() > 200) {
                throw ProblemException.validation("session_id", "session_id must be a non-empty string of at most 200 characters");
            }
            int ttl = DEFAULT_TTL;
            JsonNode rawTtl = body.get("ttl");
            if (rawTtl != null && !rawTtl.isNull()) {
                if (!rawTtl.canConvertToInt() || !rawTtl.isIntegralNumber() || rawTtl.asInt() < MIN_TTL || rawTtl.asInt() > MAX_TTL) {
                    throw ProblemException.validation("ttl", "ttl must be a whole number of seconds from " + MIN_TTL + " to " + MAX_TTL);
                }
                ttl = rawTtl.asInt();
            }
            ObjectNode attributes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            JsonNode raw = body.get("attributes");
            if (raw != null && !raw.isNull()) {
                if (!raw.isObject() || raw.size() > MAX_ATTRIBUTES) {
                    throw ProblemException.validation("attributes", "attributes must be an object of at most " + MAX_ATTRIBUTES + " strings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> a = it.next();
                    if (!a.getValue().isTextual() || a.getValue().asText().length() > 500 || a.getKey().length() > 100) {
                        throw ProblemException.validation("attributes." + a.getKey(),
                                "each attribute must be a string of at most 500 characters");
                    }
                    attributes.put(a.getKey(), a.getValue().asText());
                }
            }
            return new LeaseRequest(session.asText(), ttl, attributes);
        }
    }

    Map<String, Object> lease(String rawCampaignId, String body) throws Exception {
        UUID campaign = uuid("id", rawCampaignId);
        LeaseRequest request = LeaseRequest.parse(json.readTree(body));
        if (!store.campaignExists(campaign)) {
            throw ProblemException.notFound("Campaign", campaign.toString());
        }
        Map<String, Object> lease = store.lease(campaign, request.sessionId(), request.ttlSeconds(),
                json.writeValueAsString(request.attributes()));
        if (lease == null) {
            throw new ProblemException(409, "POOL_EXHAUSTED", "Campaign " + campaign + " has no free pool number: every "
                    + "ACTIVE DYNAMIC number is leased (show the campaign's static number, or add numbers to the pool)");
        }
        lease.put("attributes", json.readTree((String) lease.get("attributes")));
        return lease;
    }

    /**
     * A call started: when it called a leased pool number, the lease's session attributes go onto the call. Skipped
     * while the catalog has no pool number (as other instances see it within the snapshot's refresh interval).
     */
    void attribute(String callPublicId) {
        if (callPublicId != null && catalog.hasNumberPools()) {
            store.attribute(callPublicId);
        }
    }

    static UUID uuid(String field, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (RuntimeException e) {
            throw ProblemException.validation(field, field + " must be a UUID");
        }
    }
}
