package io.dcx.hub.compliance;

import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Validations;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DNC list's CSV layout ({@code dataformats/dnc.csv-layout.md}; read by {@link Csv} with {@code dnc.csv.json}).
 * Import: a header row naming the columns, of which {@code phone_number} is required and {@code source}, {@code reason}, {@code added_at} are optional (other
 * columns are ignored, so an export can be imported again); a file with no header is a single column of numbers. Each
 * row is checked on its own: a bad row is reported with its number and reason and the others still count.
 */
public final class DncCsv {

    /** Sources an opt-out can have (the dnc_numbers check constraint); an import row without one is IMPORT. */
    public static final Set<String> SOURCES = Set.of("API", "ADMIN", "IMPORT", "SMS_STOP", "CALL_DISPOSITION", "CONSUMER_REQUEST");
    public static final List<String> EXPORT_HEADER = List.of("phone_number", "source", "reason", "added_by", "added_at");
    static final int MAX_REASON = 500;
    /** The import layout ({@code dataformats/dnc.csv.json}): the header is optional, other columns are ignored. */
    static final Csv.Layout LAYOUT = Csv.Layout.of("dnc");

    private DncCsv() {}

    /** A valid row. {@code addedAt} null = now. */
    public record Entry(int row, String phoneNumber, String source, String reason, Instant addedAt) {}

    /** A refused row: its 1-based data row number (the header is row 0), the column and why. */
    public record Rejected(int row, String field, String reason) {}

    public record Parsed(List<Entry> entries, List<Rejected> rejected, int duplicates) {}

    public static Parsed parse(String csv, Instant now) {
        List<Entry> entries = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        try (Csv.Reader rows = Csv.read(new StringReader(csv == null ? "" : csv), LAYOUT, false)) {
            while (rows.hasNext()) {
                Csv.Row r = rows.next();
                int row = (int) r.number();
                if (!accept(r, row, now, entries, rejected, seen)) {
                    duplicates++;
                }
            }
        } catch (Csv.HeaderException e) {
            throw new IllegalArgumentException("The first row must be a header with a phone_number column "
                    + "(or the file a single column of E.164 numbers)");
        } catch (UncheckedIOException | IllegalStateException e) { // e.g. a quote left open: no row is trustworthy
            throw new IllegalArgumentException("The file is not valid CSV: " + e.getMessage());
        }
        return new Parsed(entries, rejected, duplicates);
    }

    /** Checks one row into {@code entries} or {@code rejected}; false when its number was already in the file. */
    private static boolean accept(Csv.Row r, int row, Instant now, List<Entry> entries, List<Rejected> rejected,
            Set<String> seen) {
        String number = r.get("phone_number");
        if (!Validations.isE164(number)) {
            rejected.add(new Rejected(row, "phone_number", number == null ? "missing"
                    : "not an E.164 number such as +15551234567"));
            return true;
        }
        String src = r.get("source");
        src = src == null ? "IMPORT" : src.toUpperCase(Locale.ROOT);
        if (!SOURCES.contains(src)) {
            rejected.add(new Rejected(row, "source", "must be one of " + String.join(", ", new TreeSet<>(SOURCES))));
            return true;
        }
        String why = r.get("reason");
        if (why != null && why.indexOf('\0') >= 0) { // PostgreSQL refuses NUL in text: refuse the row only
            rejected.add(new Rejected(row, "reason", "contains a NUL character"));
            return true;
        }
        if (why != null && why.length() > MAX_REASON) {
            rejected.add(new Rejected(row, "reason", "longer than " + MAX_REASON + " characters"));
            return true;
        }
        Instant when = null;
        String at = r.get("added_at");
        if (at != null) {
            try {
                when = OffsetDateTime.parse(at).toInstant();
            } catch (DateTimeParseException e) {
                rejected.add(new Rejected(row, "added_at", "not an RFC 3339 date-time such as 2026-11-01T12:00:00Z"));
                return true;
            }
            if (when.isAfter(now)) {
                rejected.add(new Rejected(row, "added_at", "in the future"));
                return true;
            }
        }
        if (!seen.add(number)) {
            return false;
        }
        entries.add(new Entry(row, number, src, why, when));
        return true;
    }
}
