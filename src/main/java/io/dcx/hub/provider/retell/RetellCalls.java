package io.dcx.hub.provider.retell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Retell call objects: the metadata key the hub uses, and how successive webhooks' call objects are combined. */
public final class RetellCalls {

    /** Key of the hub's call public id in the {@code metadata} sent with create-phone-call. */
    public static final String METADATA_CALL_ID = "dcx_call_id";

    private RetellCalls() {}

    /**
     * The call object kept for a call, given the stored one and a newly received one. Webhooks may arrive out of
     * order, so the object from the later stage of the call (registered → ongoing → ended → analysed) wins for the
     * fields both carry, and fields only one of them has are kept.
     */
    public static ObjectNode merge(ObjectNode stored, ObjectNode received) {
        if (stored == null) {
            return received.deepCopy();
        }
        boolean receivedIsLater = stage(received) >= stage(stored);
        ObjectNode base = (receivedIsLater ? stored : received).deepCopy();
        ObjectNode winner = receivedIsLater ? received : stored;
        for (Iterator<Map.Entry<String, JsonNode>> it = winner.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isNull()) {
                base.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return base;
    }

    /**
     * The call object as the hub keeps it: the other party's number (to_number of an outbound call, from_number of
     * an inbound one) is removed, since the hub stores that number only encrypted.
     */
    public static ObjectNode withoutRemoteNumber(ObjectNode call) {
        ObjectNode copy = call.deepCopy();
        copy.remove("inbound".equalsIgnoreCase(copy.path("direction").asText()) ? "from_number" : "to_number");
        return copy;
    }

    /** 0 registered, 1 ongoing, 2 ended (or not connected / error), 3 analysed. */
    static int stage(JsonNode call) {
        if (call.hasNonNull("call_analysis")) {
            return 3;
        }
        return switch (call.path("call_status").asText("")) {
            case "ended", "error", "not_connected" -> 2;
            case "ongoing" -> 1;
            default -> 0;
        };
    }
}
