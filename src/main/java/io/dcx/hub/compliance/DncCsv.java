package io.dcx.hub.compliance;

import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The DNC list's CSV layout ({@code dataformats/dnc.csv-layout.md}). Import: a header row naming the columns, of
 * which {@code phone_number} is required and {@code source}, {@code reason}, {@code added_at} are optional (other
 * columns are ignored, so an export can be imported again); a file with no header is a single column of numbers. Each
 * row is checked on its own: a bad row is reported with its number and reason and the others still count.
 */
public final class DncCsv {

    /** Sources an opt-out can have (the dnc_numbers check constraint); an import row without one is IMPORT. */
    public static final Set<String> SOURCES = Set.of("API", "ADMIN", "IMPORT", "SMS_STOP", "CALL_DISPOSITION", "CONSUMER_REQUEST");
    public static final List<String> EXPORT_HEADER = List.of("phone_number", "source", "reason", "added_by", "added_at");
    static final int MAX_REASON = 500;

    private DncCsv() {}

    /** A valid row. {@code addedAt} null = now. */
    public record Entry(int row, String phoneNumber, String source, String reason, Instant addedAt) {}

    /** A refused row: its 1-based data row number (the header is row 0), the column and why. */
    public record Rejected(int row, String field, String reason) {}

    public record Parsed(List<Entry> entries, List<Rejected> rejected, int duplicates) {}

    public static Parsed parse(String csv, Instant now) {
        List<List<String>> records = Csv.parse(csv);
        List<Entry> entries = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        if (records.isEmpty()) {
            return new Parsed(entries, rejected, 0);
        }
        int phone = 0;
        int source = -1;
        int reason = -1;
        int addedAt = -1;
        int first = 0;
        List<String> head = records.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        if (!Validations.isE164(records.get(0).get(0).trim())) {
            phone = head.indexOf("phone_number");
            if (phone < 0) {
                throw new IllegalArgumentException("The first row must be a header with a phone_number column "
                        + "(or the file a single column of E.164 numbers)");
            }
            source = head.indexOf("source");
            reason = head.indexOf("reason");
            addedAt = head.indexOf("added_at");
            first = 1;
        }
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (int i = first; i < records.size(); i++) {
            List<String> r = records.get(i);
            int row = i - first + 1;
            String number = cell(r, phone);
            if (!Validations.isE164(number)) {
                rejected.add(new Rejected(row, "phone_number", number == null || number.isEmpty() ? "missing"
                        : "not an E.164 number such as +15551234567"));
                continue;
            }
            String src = cell(r, source);
            src = src == null || src.isEmpty() ? "IMPORT" : src.toUpperCase(Locale.ROOT);
            if (!SOURCES.contains(src)) {
                rejected.add(new Rejected(row, "source", "must be one of " + String.join(", ", new java.util.TreeSet<>(SOURCES))));
                continue;
            }
            String why = cell(r, reason);
            if (why != null && why.indexOf('\0') >= 0) { // PostgreSQL refuses NUL in text: refuse the row only
                rejected.add(new Rejected(row, "reason", "contains a NUL character"));
                continue;
            }
            if (why != null && why.length() > MAX_REASON) {
                rejected.add(new Rejected(row, "reason", "longer than " + MAX_REASON + " characters"));
                continue;
            }
            Instant when = null;
            String at = cell(r, addedAt);
            if (at != null && !at.isEmpty()) {
                try {
                    when = OffsetDateTime.parse(at).toInstant();
                } catch (DateTimeParseException e) {
                    rejected.add(new Rejected(row, "added_at", "not an RFC 3339 date-time such as 2026-11-01T12:00:00Z"));
                    continue;
                }
                if (when.isAfter(now)) {
                    rejected.add(new Rejected(row, "added_at", "in the future"));
                    continue;
                }
            }
            if (!seen.add(number)) {
                duplicates++;
                continue;
            }
            entries.add(new Entry(row, number, src, why == null || why.isEmpty() ? null : why, when));
        }
        return new Parsed(entries, rejected, duplicates);
    }

    private static String cell(List<String> record, int index) {
        if (index < 0 || index >= record.size()) {
            return null;
        }
        return record.get(index).trim();
    }
}
