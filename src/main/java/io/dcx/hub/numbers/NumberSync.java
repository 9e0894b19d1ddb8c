package io.dcx.hub.numbers;

import io.dcx.hub.numbers.NumberStore.HubNumber;
import io.dcx.hub.provider.twilio.TwilioNumbers;
import io.dcx.hub.provider.twilio.TwilioNumbers.NumbersApiFailure;
import io.dcx.hub.provider.twilio.TwilioNumbers.OwnedNumber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/numbers/sync} and the nightly run: list the account's numbers at Twilio, decide
 * ({@link SyncPlan}), apply, and answer (and keep, in {@code number_sync_runs}) a report of what was done. Nothing
 * is marked missing unless Twilio's whole list was read.
 */
@Component
class NumberSync {

    private static final Logger log = LoggerFactory.getLogger(NumberSync.class);

    private final NumberStore store;
    private final TwilioNumbers twilio;
    private final NumberWebhooks webhooks;

    NumberSync(NumberStore store, TwilioNumbers twilio, NumberWebhooks webhooks) {
        this.store = store;
        this.twilio = twilio;
        this.webhooks = webhooks;
    }

    Map<String, Object> runNightly() {
        Map<String, Object> report = run("NIGHTLY");
        log.info("Nightly number sync: {} imported, {} marked missing, {} repaired", size(report, "imported"),
                size(report, "marked_missing"), size(report, "repaired"));
        return report;
    }

    synchronized Map<String, Object> run(String trigger) {
        UUID run = store.startSync(trigger);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("id", run.toString());
        report.put("trigger", trigger);
        report.put("started_at", Instant.now().toString());
        List<OwnedNumber> listed;
        try {
            listed = twilio.listAll();
        } catch (NumbersApiFailure failure) {
            report.put("status", "FAILED");
            report.put("failure", failure.getMessage());
            store.finishSync(run, "FAILED", report);
            throw failure;
        }
        SyncPlan plan = SyncPlan.of(listed, store.all(), store.pendingPurchases(), webhooks.expected());

        List<Map<String, Object>> imported = new ArrayList<>();
        for (SyncPlan.Import i : plan.imports()) {
            UUID id = store.store(i.number(), i.purchase(), i.purchase() != null ? "ACTIVE" : "INACTIVE");
            Map<String, Object> item = item(id, i.number());
            item.put("purchase_id", i.purchase() == null ? null : i.purchase().id().toString());
            imported.add(item);
        }
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (SyncPlan.Adopt a : plan.adoptions()) {
            store.adoptSid(a.row().id(), a.number().sid());
            adopted.add(item(a.row().id(), a.number()));
        }
        store.markMissing(plan.missing().stream().map(HubNumber::id).toList(), true);
        store.markMissing(plan.back().stream().map(HubNumber::id).toList(), false);

        List<Map<String, Object>> repaired = new ArrayList<>();
        List<Map<String, Object>> repairFailures = new ArrayList<>();
        for (OwnedNumber n : plan.repairs()) {
            Map<String, Object> item = item(null, n);
            try {
                twilio.updateWebhooks(n.sid(), webhooks.expected());
                repaired.add(item);
            } catch (NumbersApiFailure failure) {
                item.put("failure", TwilioProblems.of(failure).getMessage());
                repairFailures.add(item);
            }
        }
        report.put("status", "COMPLETED");
        report.put("finished_at", Instant.now().toString());
        report.put("twilio_numbers", listed.size());
        report.put("imported", imported);
        report.put("adopted_sid", adopted);
        report.put("marked_missing", plan.missing().stream().map(NumberSync::item).toList());
        report.put("back_at_twilio", plan.back().stream().map(NumberSync::item).toList());
        report.put("repaired", repaired);
        report.put("repair_failures", repairFailures);
        report.put("released_but_listed", plan.releasedButListed().stream().map(n -> item(null, n)).toList());
        report.put("unchanged", plan.unchanged());
        store.finishSync(run, "COMPLETED", report);
        return report;
    }

    private static Map<String, Object> item(UUID id, OwnedNumber n) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id == null ? null : id.toString());
        item.put("e164", n.e164());
        item.put("twilio_sid", n.sid());
        return item;
    }

    private static Map<String, Object> item(HubNumber n) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", n.id().toString());
        item.put("e164", n.e164());
        item.put("twilio_sid", n.twilioSid());
        return item;
    }

    private static int size(Map<String, Object> report, String key) {
        return report.get(key) instanceof List<?> l ? l.size() : 0;
    }
}
