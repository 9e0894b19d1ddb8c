package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The internal do-not-call list ({@code /api/dnc}): add with source and time, check one number, remove, import and
 * export as CSV ({@link DncCsv}). Every channel's opt-out (the API, SMS STOP, a call disposition) goes through
 * {@link #optOut}, which records the source and the time.
 */
@Service
public class DncService {

    private static final Logger log = LoggerFactory.getLogger(DncService.class);
    static final int MAX_REJECTED_LISTED = 100;

    private final DncStore store;
    private final TransactionTemplate tx;

    public DncService(DncStore store, TransactionTemplate tx) {
        this.store = store;
        this.tx = tx;
    }

    /** The entry and whether this request added it (201) or it was already listed (200, unchanged). */
    public record Added(Entry entry, boolean created) {}

    /** {@link #check}'s answer: an {@link Entry}, or {@link NotListed}. */
    public sealed interface Listing permits Entry, NotListed {}

    /** A listed number with its entry's details. */
    public record Entry(String phoneNumber, boolean listed, String source, String reason, String addedBy, String addedAt)
            implements Listing {
        static Entry of(DncStore.Listed l) {
            return new Entry(l.phoneNumber(), true, l.source(), l.reason(), l.addedBy(), l.addedAt());
        }
    }

    public record NotListed(String phoneNumber, boolean listed) implements Listing {}

    /** The answer to an import (see {@link #importCsv}). */
    public record ImportReport(int rows, int added, int alreadyListed, int duplicatesInFile, int rejectedCount,
            List<DncCsv.Rejected> rejected) {}

    public Added add(JsonNode body, String addedBy) {
        String number = number(body.path("phone_number").asText(null));
        String source = body.hasNonNull("source") ? body.get("source").asText() : "API";
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        return optOut(number, source, reason, addedBy);
    }

    /**
     * An opt-out from any channel: the number goes on the list with its source and the time; a number already listed
     * keeps its first entry. Runs in the caller's transaction when there is one.
     */
    public Added optOut(String e164, String source, String reason, String addedBy) {
        if (!DncCsv.SOURCES.contains(source)) {
            throw ProblemException.validation("source", "source must be one of " + String.join(", ", new TreeSet<>(DncCsv.SOURCES)));
        }
        String number = number(e164);
        boolean inserted = store.insert(number, source, reason, addedBy);
        return new Added(find(number), inserted);
    }

    /**
     * {@code POST /api/dnc/import}: the CSV's valid rows are added (numbers already listed keep their entry), bad rows
     * are reported with their row number, field and reason (the first {@value #MAX_REJECTED_LISTED}; all are counted).
     */
    public ImportReport importCsv(String csv, String addedBy) {
        DncCsv.Parsed parsed;
        try {
            parsed = DncCsv.parse(csv, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("file", e.getMessage());
        }
        List<DncCsv.Entry> entries = parsed.entries();
        int added = 0;
        for (int from = 0; from < entries.size(); from += 1000) {
            List<DncCsv.Entry> chunk = entries.subList(from, Math.min(entries.size(), from + 1000));
            added += tx.execute(status -> store.insertAll(chunk, addedBy));
        }
        log.info("DNC import by {}: {} added, {} already listed, {} rejected", addedBy, added, entries.size() - added,
                parsed.rejected().size());
        return new ImportReport(entries.size() + parsed.rejected().size() + parsed.duplicates(), added,
                entries.size() - added, parsed.duplicates(), parsed.rejected().size(),
                parsed.rejected().stream().limit(MAX_REJECTED_LISTED).toList());
    }

    /** {@code GET /api/dnc/export}: the list (entries added at or after {@code since}, when given), oldest first. */
    public List<DncStore.Listed> export(Instant since) {
        return store.since(since == null ? Instant.EPOCH : since);
    }

    /** The export as CSV: {@link DncCsv#EXPORT_HEADER}, one row per entry. */
    public String exportCsv(Instant since) {
        StringBuilder out = new StringBuilder(Csv.row(DncCsv.EXPORT_HEADER));
        for (DncStore.Listed e : export(since)) {
            out.append(Csv.row(Arrays.asList(e.phoneNumber(), e.source(), e.reason(), e.addedBy(), e.addedAt())));
        }
        return out.toString();
    }

    /** Whether the number is listed, with the entry's details when it is. */
    public Listing check(String rawNumber) {
        String number = number(rawNumber);
        Entry entry = find(number);
        return entry != null ? entry : new NotListed(number, false);
    }

    public void remove(String rawNumber) {
        String number = number(rawNumber);
        if (!store.delete(number)) {
            throw ProblemException.notFound("DNC entry", number);
        }
    }

    private Entry find(String number) {
        return store.find(number).map(Entry::of).orElse(null);
    }

    private static String number(String value) {
        // from a path: '+' may arrive still encoded (%2B) or decoded form-style as a space
        String trimmed = value == null ? null : java.net.URLDecoder.decode(value.replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8).replace(' ', '+').trim();
        if (!Validations.isE164(trimmed)) {
            throw ProblemException.validation("phone_number", "phone_number must be an E.164 number such as +15551234567");
        }
        return trimmed;
    }
}
