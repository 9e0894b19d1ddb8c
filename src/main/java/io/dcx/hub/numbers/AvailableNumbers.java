package io.dcx.hub.numbers;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.provider.twilio.TwilioNumbers;
import io.dcx.hub.provider.twilio.TwilioNumbers.AvailableNumber;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code GET /api/numbers/available}: the query checked, Twilio's AvailablePhoneNumbers answered as the hub's JSON. */
@Component
class AvailableNumbers {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 50;

    private final TwilioNumbers twilio;

    AvailableNumbers(TwilioNumbers twilio) {
        this.twilio = twilio;
    }

    /** The search the query asks for (country US, type local and limit 20 unless given). */
    static TwilioNumbers.Search search(Map<String, String> q) {
        String country = q.getOrDefault("country", "US").trim().toUpperCase(java.util.Locale.ROOT);
        if (!country.matches("^[A-Z]{2}$")) {
            throw ProblemException.validation("country", "country must be an ISO 3166-1 alpha-2 code such as US");
        }
        String type = q.getOrDefault("type", "local").trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("local") && !type.equals("toll_free")) {
            throw ProblemException.validation("type", "type must be local or toll_free");
        }
        Integer areaCode = null;
        String rawArea = blank(q.get("area_code"));
        if (rawArea != null) {
            if (!rawArea.matches("^\\d{3}$")) {
                throw ProblemException.validation("area_code", "area_code must be three digits such as 415");
            }
            areaCode = Integer.valueOf(rawArea);
        }
        String contains = blank(q.get("contains"));
        if (contains != null && !contains.matches("^[0-9A-Za-z*]{1,16}$")) {
            throw ProblemException.validation("contains", "contains must be digits, letters or * (at most 16)");
        }
        String inRegion = blank(q.get("in_region"));
        if (inRegion != null && !inRegion.matches("^[A-Za-z]{2}$")) {
            throw ProblemException.validation("in_region", "in_region must be a two-letter region such as CA");
        }
        int limit = DEFAULT_LIMIT;
        String rawLimit = blank(q.get("limit"));
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ProblemException.validation("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        return new TwilioNumbers.Search(country, type, areaCode, contains,
                inRegion == null ? null : inRegion.toUpperCase(java.util.Locale.ROOT), limit);
    }

    Map<String, Object> find(Map<String, String> query) {
        List<Map<String, Object>> items = twilio.search(search(query)).stream().map(AvailableNumbers::view).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        return page;
    }

    private static Map<String, Object> view(AvailableNumber n) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("e164", n.e164());
        out.put("friendly_name", n.friendlyName());
        out.put("locality", n.locality());
        out.put("region", n.region());
        out.put("postal_code", n.postalCode());
        out.put("iso_country", n.isoCountry());
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("voice", n.voice());
        capabilities.put("sms", n.sms());
        capabilities.put("mms", n.mms());
        capabilities.put("fax", n.fax());
        out.put("capabilities", capabilities);
        return out;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
