package io.dcx.hub.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Validations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/routing/backtest}'s request, checked: the period ({@code from} before {@code to}, at most
 * {@link #MAX_SPAN}), the campaign, and the proposed changes, each field optional (absent = as configured now):
 * {@code offers: [{offer_id, payout_cents, priority, weight, active, daily_cap, buffer_seconds}]} and
 * {@code buyers: [{buyer_id, active, weight, concurrency_limit, daily_cap}]}.
 */
record BacktestRequest(Instant from, Instant to, UUID campaignId, Map<UUID, OfferChange> offers,
        Map<UUID, BuyerChange> buyers) {

    static final Duration MAX_SPAN = Duration.ofDays(400);

    record OfferChange(Long payoutCents, Integer priority, Integer weight, Boolean active, Integer dailyCap,
            boolean clearDailyCap, Integer bufferSeconds) {}

    record BuyerChange(Boolean active, Integer weight, Integer concurrencyLimit, Integer dailyCap,
            boolean clearDailyCap) {}

    static BacktestRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.validation("from", "The body must be a JSON object");
        }
        Instant from = instant(body, "from");
        Instant to = instant(body, "to");
        Validations.requireRange(from, to, MAX_SPAN, "backtest");
        UUID campaign = uuid(body.path("campaign_id"), "campaign_id");
        Map<UUID, OfferChange> offers = new HashMap<>();
        for (JsonNode o : array(body, "offers")) {
            UUID id = uuid(o.path("offer_id"), "offers.offer_id");
            offers.put(id, new OfferChange(longOrNull(o, "payout_cents", "offers.payout_cents"),
                    intOrNull(o, "priority", "offers.priority", Integer.MIN_VALUE),
                    intOrNull(o, "weight", "offers.weight", 0), boolOrNull(o, "active", "offers.active"),
                    intOrNull(o, "daily_cap", "offers.daily_cap", 0), o.has("daily_cap") && o.get("daily_cap").isNull(),
                    intOrNull(o, "buffer_seconds", "offers.buffer_seconds", 0)));
        }
        Map<UUID, BuyerChange> buyers = new HashMap<>();
        for (JsonNode b : array(body, "buyers")) {
            UUID id = uuid(b.path("buyer_id"), "buyers.buyer_id");
            buyers.put(id, new BuyerChange(boolOrNull(b, "active", "buyers.active"),
                    intOrNull(b, "weight", "buyers.weight", 0),
                    intOrNull(b, "concurrency_limit", "buyers.concurrency_limit", 0),
                    intOrNull(b, "daily_cap", "buyers.daily_cap", 0), b.has("daily_cap") && b.get("daily_cap").isNull()));
        }
        return new BacktestRequest(from, to, campaign, offers, buyers);
    }

    private static Iterable<JsonNode> array(JsonNode body, String field) {
        JsonNode a = body.path(field);
        if (a.isMissingNode() || a.isNull()) {
            return java.util.List.of();
        }
        if (!a.isArray()) {
            throw ProblemException.validation(field, field + " must be an array");
        }
        for (JsonNode item : a) {
            if (!item.isObject()) {
                throw ProblemException.validation(field, field + " must hold objects");
            }
        }
        return a;
    }

    private static Instant instant(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (!n.isTextual()) {
            throw ProblemException.validation(field, field + " is required (RFC 3339 date-time)");
        }
        try {
            return OffsetDateTime.parse(n.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(field, field + " must be an RFC 3339 date-time");
        }
    }

    private static UUID uuid(JsonNode n, String field) {
        try {
            if (n.isTextual()) {
                return UUID.fromString(n.asText());
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw ProblemException.validation(field, field + " must be a UUID");
    }

    private static Long longOrNull(JsonNode o, String name, String field) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw ProblemException.validation(field, field + " must be a whole number >= 0");
        }
        return n.asLong();
    }

    private static Integer intOrNull(JsonNode o, String name, String field, int min) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min) {
            throw ProblemException.validation(field, field + " must be a whole number"
                    + (min == Integer.MIN_VALUE ? "" : " >= " + min));
        }
        return n.asInt();
    }

    private static Boolean boolOrNull(JsonNode o, String name, String field) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ProblemException.validation(field, field + " must be true or false");
        }
        return n.asBoolean();
    }
}
