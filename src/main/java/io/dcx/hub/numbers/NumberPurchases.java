package io.dcx.hub.numbers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.numbers.NumberStore.PendingPurchase;
import io.dcx.hub.provider.twilio.TwilioNumbers;
import io.dcx.hub.provider.twilio.TwilioNumbers.Kind;
import io.dcx.hub.provider.twilio.TwilioNumbers.NumbersApiFailure;
import io.dcx.hub.provider.twilio.TwilioNumbers.OwnedNumber;
import io.dcx.hub.support.Validations;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/numbers/purchase}, in steps: {@link #prepare} (check the request, write the purchase),
 * {@link #buy} (IncomingPhoneNumbers create at Twilio, FriendlyName {@code dcx-purchase-<id>}) and {@link #store}
 * (the number and the purchase's end in one transaction; the routing snapshot reloads on commit). When Twilio's
 * answer is lost the purchase is looked up by its FriendlyName before answering; when that fails too the purchase
 * stays PENDING and the next sync stores the number with the purchase's assignment.
 */
@Component
class NumberPurchases {

    private static final Logger log = LoggerFactory.getLogger(NumberPurchases.class);
    static final String FRIENDLY_PREFIX = "dcx-purchase-";

    private final NumberStore store;
    private final TwilioNumbers twilio;
    private final NumberWebhooks webhooks;
    private final ObjectMapper json;

    NumberPurchases(NumberStore store, TwilioNumbers twilio, NumberWebhooks webhooks, ObjectMapper json) {
        this.store = store;
        this.twilio = twilio;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** A purchase on its way: what was asked, and what Twilio bought. */
    record Order(PendingPurchase purchase, String areaCode) {}

    record Bought(Order order, OwnedNumber number) {}

    static String friendlyName(UUID purchaseId) {
        return FRIENDLY_PREFIX + purchaseId;
    }

    /** Step: the request is checked (references before anything is bought) and the purchase is written. */
    Order prepare(String body, String by) throws Exception {
        JsonNode request = json.readTree(body);
        String e164 = text(request, "e164");
        String areaCode = text(request, "area_code");
        if ((e164 == null) == (areaCode == null)) {
            throw ProblemException.validation("e164", "Give either e164 (a number from GET /api/numbers/available) or area_code");
        }
        if (e164 != null && !Validations.isE164(e164)) {
            throw ProblemException.validation("e164", "e164 must be an E.164 number such as +15551234567");
        }
        if (areaCode != null && !areaCode.matches("^[2-9]\\d{2}$")) {
            throw ProblemException.validation("area_code", "area_code must be a three-digit area code such as 415");
        }
        UUID campaign = reference(request, "campaign_id", "campaigns", "Campaign");
        UUID supplier = reference(request, "supplier_id", "suppliers", "Supplier");
        boolean pool = request.path("pool").asBoolean(false);
        PendingPurchase purchase = new PendingPurchase(UUID.randomUUID(), e164, campaign, supplier, pool);
        store.recordPurchase(purchase, areaCode, by);
        return new Order(purchase, areaCode);
    }

    /** Step: Twilio buys the number (sent once); a lost answer is checked before giving up. */
    Bought buy(Order order) {
        PendingPurchase p = order.purchase();
        try {
            return new Bought(order, twilio.buy(new TwilioNumbers.Purchase(p.requestedE164(), order.areaCode(),
                    p.friendlyName(), webhooks.expected())));
        } catch (NumbersApiFailure failure) {
            if (failure.kind() != Kind.NO_ANSWER) {
                store.purchaseFailed(p.id(), failure.getMessage());
                throw failure;
            }
            Optional<OwnedNumber> found = lookUp(p);
            if (found.isPresent()) {
                return new Bought(order, found.get());
            }
            store.purchaseUnconfirmed(p.id(), failure.getMessage());
            log.warn("Twilio did not confirm purchase {}; it stays pending for the next number sync", p.id());
            throw new ProblemException(502, "PURCHASE_NOT_CONFIRMED", "Twilio did not confirm purchase " + p.id()
                    + ". If Twilio bought the number, the next sync (nightly, or POST /api/numbers/sync) stores it "
                    + "with this purchase's campaign, supplier and pool");
        }
    }

    /** Step: the number is the hub's, with the purchase's assignment; inbound calls route to it from now on. */
    Map<String, Object> store(Bought bought) {
        UUID id = store.store(bought.number(), bought.order().purchase(), "ACTIVE");
        return store.number(id);
    }

    private Optional<OwnedNumber> lookUp(PendingPurchase p) {
        try {
            return twilio.findByFriendlyName(p.friendlyName());
        } catch (NumbersApiFailure again) {
            return Optional.empty();
        }
    }

    private UUID reference(JsonNode request, String field, String table, String what) {
        String raw = text(request, field);
        if (raw == null) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(field, field + " must be a UUID");
        }
        if (!store.exists(table, id)) {
            throw ProblemException.unknownReference(field, what, id);
        }
        return id;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }
}
