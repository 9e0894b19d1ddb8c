package io.dcx.hub.leads;

import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The check of one lead CSV row (plain Java, no I/O). The layout (columns, header aliases such as {@code name} or
 * {@code time_zone}) is {@code dataformats/lead-import.csv.json}, read by {@link Csv}; this class decides whether a
 * row's values make a lead.
 */
public final class LeadCsv {

    public static final String DEFAULT_TIMEZONE = "America/Los_Angeles";

    /** The lead import layout ({@code dataformats/lead-import.csv.json}): columns, required ones, header aliases. */
    public static final Csv.Layout LAYOUT = Csv.Layout.of("lead-import");

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-]");
    private static final Map<String, Integer> MAX_LENGTH = Map.of("contact_name", 200, "company_name", 200, "email", 320,
            "consent_source", 200, "consent_text", 5000, "consent_url", 2000);
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "0");

    private LeadCsv() {}

    /** A row's values by column (blank cells absent). */
    public record Values(Map<String, String> cells) {
        String get(String column) {
            return cells.get(column);
        }

        static Values of(Csv.Row row) {
            return new Values(row.cells());
        }
    }

    /** A valid lead ready to insert. */
    public record LeadRow(String contactName, String phone, String companyName, String email, String timezone,
            boolean consent, String consentSource, Instant consentAt, String consentText, String consentUrl) {}

    /** Why a row was refused: a code (INVALID_E164, UNKNOWN_TIMEZONE, …), the column and a sentence. */
    public record Rejection(String code, String field, String detail) {
        public String reason() {
            return code + ": " + detail;
        }
    }

    /** Either a lead or a rejection. */
    public record Checked(LeadRow lead, Rejection rejection) {}

    public static Checked check(Values v) {
        for (Map.Entry<String, String> cell : v.cells().entrySet()) {
            if (cell.getValue().indexOf('\0') >= 0) { // PostgreSQL refuses NUL in text: refuse the row, not the file
                return reject("INVALID_VALUE", cell.getKey(), cell.getKey() + " contains a NUL character");
            }
        }
        String name = v.get("contact_name");
        if (name == null) {
            return reject("MISSING_FIELD", "contact_name", "contact_name is empty");
        }
        String rawPhone = v.get("phone");
        if (rawPhone == null) {
            return reject("MISSING_FIELD", "phone", "phone is empty");
        }
        // "+1 (555) 010-2030" is an E.164 number written with separators; without a leading + it is not E.164
        String phone = rawPhone.startsWith("+") ? PHONE_SEPARATORS.matcher(rawPhone).replaceAll("") : rawPhone;
        if (!Validations.isE164(phone)) {
            return reject("INVALID_E164", "phone", "phone is not an E.164 number such as +15551234567");
        }
        String timezone = v.get("timezone") == null ? DEFAULT_TIMEZONE : v.get("timezone");
        try {
            Validations.requireTimeZone("timezone", timezone);
        } catch (RuntimeException e) {
            return reject("UNKNOWN_TIMEZONE", "timezone", "'" + shorten(timezone) + "' is not an IANA time zone such as America/New_York");
        }
        String email = v.get("email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            return reject("INVALID_EMAIL", "email", "email is not an email address");
        }
        for (Map.Entry<String, Integer> max : MAX_LENGTH.entrySet()) {
            String value = v.get(max.getKey());
            if (value != null && value.length() > max.getValue()) {
                return reject("TOO_LONG", max.getKey(), max.getKey() + " is longer than " + max.getValue() + " characters");
            }
        }
        boolean consent = false;
        String rawConsent = v.get("consent");
        if (rawConsent != null) {
            String c = rawConsent.toLowerCase(Locale.ROOT);
            if (TRUE.contains(c)) {
                consent = true;
            } else if (!FALSE.contains(c)) {
                return reject("INVALID_VALUE", "consent", "consent must be true or false (yes/no, 1/0)");
            }
        }
        Instant consentAt = null;
        if (v.get("consent_at") != null) {
            try {
                consentAt = OffsetDateTime.parse(v.get("consent_at")).toInstant();
            } catch (DateTimeParseException e) {
                return reject("INVALID_VALUE", "consent_at", "consent_at must be an RFC 3339 date-time");
            }
        }
        return new Checked(new LeadRow(name, phone, v.get("company_name"), email, timezone, consent,
                v.get("consent_source"), consentAt, v.get("consent_text"), v.get("consent_url")), null);
    }

    private static Checked reject(String code, String field, String detail) {
        return new Checked(null, new Rejection(code, field, detail));
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
