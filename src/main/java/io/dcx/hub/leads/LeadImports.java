package io.dcx.hub.leads;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Times;
import io.dcx.hub.support.Validations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lead CSV imports with flat memory whatever the file's size:
 * <ol>
 *   <li>{@link #accept}: the request body is copied to a spool file as it arrives (never held in memory, refused
 *       past {@code dcx.leads.import-max-bytes}), then read once by the streaming parser to check the header and the
 *       CSV syntax and to count the rows; the job is created with {@code rows_total} and answered at once;</li>
 *   <li>{@link #run}: the file is parsed again one record at a time; rows are read by {@link Csv} with the layout {@code dataformats/lead-import.csv.json}, checked ({@link LeadCsv}) and inserted
 *       in transactions of {@code dcx.leads.import-batch-size} rows together with their report rows and the job's
 *       progress ({@code rows_done}); a phone already in the campaign (or earlier in the file) is a
 *       {@code DUPLICATE_PHONE} rejection (the unique index decides, so concurrent imports agree).</li>
 * </ol>
 * The job runs on the instance that received the file; a job interrupted by that instance's restart stays
 * {@code RUNNING} with the rows done so far.
 */
@Service
public class LeadImports {

    private static final Logger log = LoggerFactory.getLogger(LeadImports.class);
    private static final List<String> CONTENT_TYPES = List.of("text/csv", "application/csv", "text/plain");

    private final LeadImportStore store;
    private final TransactionTemplate tx;
    private final LeadsProperties properties;

    LeadImports(LeadImportStore store, TransactionTemplate tx, LeadsProperties properties) {
        this.store = store;
        this.tx = tx;
        this.properties = properties;
    }

    /**
     * Spools and checks an upload and creates its job (PENDING); returns the job. The leads it creates belong to
     * {@code owner} (a USER's import; null for the operator's).
     */
    public Map<String, Object> accept(InputStream body, String contentType, long contentLength, String campaignId,
            String filename, String createdBy, UUID owner) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPES.contains(type)) {
            throw new ProblemException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the CSV file as the body with Content-Type text/csv");
        }
        UUID campaign = campaign(campaignId);
        if (contentLength > properties.importMaxBytes()) {
            throw tooLarge();
        }
        UUID jobId = UUID.randomUUID();
        Path file = spoolFile(jobId);
        try {
            spool(body, file);
            int rows = countRows(file);
            store.createJob(jobId, campaign, filename == null || filename.isBlank() ? null : filename.strip(), rows,
                    createdBy, owner);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
        return job(jobId.toString(), null);
    }

    private UUID campaign(String campaignId) {
        if (campaignId == null || campaignId.isBlank()) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(campaignId.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("campaign_id", "campaign_id must be a UUID");
        }
        if (!store.campaignExists(id)) {
            throw ProblemException.unknownReference("campaign_id", "Campaign", id);
        }
        return id;
    }

    /** Copies the body to the spool file, refusing it past the size limit. */
    private void spool(InputStream body, Path file) {
        if (body == null) {
            throw new ProblemException(400, "BODY_REQUIRED", "The CSV file is empty");
        }
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > properties.importMaxBytes()) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ProblemException(400, "UPLOAD_INCOMPLETE", "The upload could not be read to its end");
        }
        if (total == 0) {
            throw new ProblemException(400, "BODY_REQUIRED", "The CSV file is empty");
        }
    }

    /** Checks the header and the CSV syntax of the whole file and counts its data rows. */
    int countRows(Path file) {
        try (Csv.Reader rows = open(file)) {
            int count = 0;
            while (rows.hasNext()) {
                rows.next();
                count++;
            }
            return count;
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw malformed(e);
        }
    }

    /** The spooled file as lead rows; a header without the required columns is a 400 naming the column. */
    private static Csv.Reader open(Path file) throws IOException {
        Reader reader = reader(file);
        try {
            Csv.Reader rows = Csv.read(reader, LeadCsv.LAYOUT, false);
            if (rows.isEmpty()) {
                rows.close();
                throw new ProblemException(400, "BODY_REQUIRED", "The CSV file has no header row");
            }
            return rows;
        } catch (Csv.HeaderException e) {
            reader.close();
            throw ProblemException.validation(e.column(), e.getMessage());
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static ProblemException malformed(Exception e) {
        return new ProblemException(400, "MALFORMED_CSV", "The file is not valid CSV: " + e.getMessage());
    }

    /** Imports a PENDING job's spooled file; runs on the import queue. */
    public void run(String jobIdText) {
        UUID jobId = UUID.fromString(jobIdText.trim());
        LeadImportStore.Started started = store.start(jobId);
        if (started == null) {
            return;
        }
        UUID campaign = started.campaign();
        UUID owner = started.owner();
        Path file = spoolFile(jobId);
        try (Csv.Reader rows = open(file)) {
            List<Row> batch = new ArrayList<>(properties.importBatchSize());
            while (rows.hasNext()) {
                Csv.Row row = rows.next();
                batch.add(new Row((int) row.number(), LeadCsv.check(LeadCsv.Values.of(row))));
                if (batch.size() == properties.importBatchSize()) {
                    flush(jobId, campaign, owner, batch);
                    batch.clear();
                }
            }
            flush(jobId, campaign, owner, batch);
            store.complete(jobId);
        } catch (RuntimeException | IOException e) {
            log.error("Lead import {} failed", jobId, e);
            store.fail(jobId, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            delete(file);
        }
    }

    private record Row(int number, LeadCsv.Checked checked) {}

    /**
     * One transaction: the batch's leads (one multi-row INSERT … ON CONFLICT DO NOTHING RETURNING: the rows not
     * returned hit the campaign's unique phone), its report rows and the job's progress.
     */
    private void flush(UUID jobId, UUID campaign, UUID owner, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(s -> {
            List<Row> valid = rows.stream().filter(r -> r.checked().lead() != null).toList();
            Map<Integer, UUID> leadOfRow = new HashMap<>();
            if (!valid.isEmpty()) {
                UUID[] ids = new UUID[valid.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = UUID.randomUUID();
                }
                Set<UUID> inserted = new HashSet<>(store.insertLeads(campaign, owner, ids,
                        valid.stream().map(r -> r.checked().lead()).toList()));
                for (int i = 0; i < ids.length; i++) {
                    if (inserted.contains(ids[i])) {
                        leadOfRow.put(valid.get(i).number(), ids[i]);
                    }
                }
            }
            List<LeadImportStore.ReportRow> report = new ArrayList<>(rows.size());
            for (Row r : rows) {
                UUID lead = leadOfRow.get(r.number());
                LeadCsv.Rejection rejection = r.checked().rejection();
                if (lead != null) {
                    report.add(new LeadImportStore.ReportRow(r.number(), "ACCEPTED", null, null, lead));
                } else if (rejection != null) {
                    report.add(new LeadImportStore.ReportRow(r.number(), "REJECTED", rejection.reason(),
                            rejection.field(), null));
                } else {
                    report.add(new LeadImportStore.ReportRow(r.number(), "REJECTED",
                            "DUPLICATE_PHONE: the phone is already a lead of this campaign", "phone", null));
                }
            }
            store.report(jobId, report);
        });
    }

    /** The job with its progress; 404 when unknown, or when {@code scope} (a USER) is not its owner. */
    public Map<String, Object> job(String id, UUID scope) {
        UUID jobId = parseId(id);
        Map<String, Object> r = store.job(jobId);
        if (r == null || scope != null && !scope.equals(r.get("owner_user_id"))) {
            throw ProblemException.notFound("Lead import", id);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.get("id").toString());
        out.put("status", r.get("status"));
        out.put("campaign_id", r.get("campaign_id") == null ? null : r.get("campaign_id").toString());
        out.put("filename", r.get("filename"));
        Integer total = (Integer) r.get("rows_total");
        int done = (Integer) r.get("rows_done");
        out.put("rows_total", total);
        out.put("rows_done", done);
        out.put("rows_accepted", r.get("rows_accepted"));
        out.put("rows_rejected", r.get("rows_rejected"));
        out.put("progress", total == null || total == 0 ? ("COMPLETED".equals(r.get("status")) ? 1.0 : 0.0)
                : Math.min(1.0, done / (double) total));
        out.put("error", r.get("error"));
        out.put("created_by", r.get("created_by"));
        out.put("created_at", text(r.get("created_at")));
        out.put("started_at", text(r.get("started_at")));
        out.put("finished_at", text(r.get("finished_at")));
        return out;
    }

    /** One page of the job's per-row report, in row order, optionally only ACCEPTED or REJECTED rows. */
    public Map<String, Object> rows(String id, UUID scope, String status, int limit, String nextToken) {
        UUID jobId = parseId(id);
        job(id, scope);
        String filter = status == null || status.isBlank() ? null : status.trim().toUpperCase(Locale.ROOT);
        if (filter != null && !filter.equals("ACCEPTED") && !filter.equals("REJECTED")) {
            throw ProblemException.validation("status", "status must be ACCEPTED or REJECTED");
        }
        KeysetPage.Cut<LeadImportStore.ReportRow> cut = store.rows(jobId, filter,
                KeysetPage.byNumber("row_number", limit, nextToken));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", cut.items().stream().map(ReportItem::of).toList());
        page.put("next_token", cut.nextToken());
        return page;
    }

    /** One row of the report as the API shows it: the reason's code, and its detail apart. */
    record ReportItem(int rowNumber, String status, String reason, String detail, String field, UUID leadId) {

        static ReportItem of(LeadImportStore.ReportRow row) {
            String reason = row.reason();
            int colon = reason == null ? -1 : reason.indexOf(": ");
            return new ReportItem(row.number(), row.status(), colon < 0 ? reason : reason.substring(0, colon),
                    colon < 0 ? null : reason.substring(colon + 2), row.field(), row.leadId());
        }
    }

    private Path spoolFile(UUID jobId) {
        try {
            Files.createDirectories(properties.spoolDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.spoolDir().resolve("dcx-lead-import-" + jobId + ".csv");
    }

    /** UTF-8 (a byte-order mark is dropped by {@link Csv}); malformed bytes become U+FFFD. */
    private static Reader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 64 * 1024);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete spooled import {}", file, e);
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "PAYLOAD_TOO_LARGE", "The CSV file is larger than " + properties.importMaxBytes()
                + " bytes");
    }

    private static UUID parseId(String id) {
        return Validations.idOrNotFound(id, "Lead import");
    }

    private static String text(Object timestamp) {
        return timestamp == null ? null : Times.instant(timestamp).toString();
    }
}
