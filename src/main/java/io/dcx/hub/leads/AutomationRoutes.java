package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code GET/PUT /api/settings/automation}: the lead batch's settings, with the next cron run and the last run. A PUT
 * changes the fields it names; a changed cron reschedules the clustered trigger in the same step (the settings row is
 * locked meanwhile, so concurrent PUTs leave trigger and settings agreeing).
 */
@Component
class AutomationRoutes extends ApiRouteBuilder {

    private final AutomationSettingsStore store;
    private final LeadBatchSchedule schedule;
    private final LeadBatch batch;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    AutomationRoutes(AutomationSettingsStore store, LeadBatchSchedule schedule, LeadBatch batch, TransactionTemplate tx,
            ObjectMapper json) {
        super(json);
        this.store = store;
        this.schedule = schedule;
        this.batch = batch;
        this.tx = tx;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("getAutomationSettings")
                .process(e -> e.getMessage().setBody(view()))
                .process(reply(200));

        operation("updateAutomationSettings")
                .process(e -> {
                    JsonNode patch = json.readTree(e.getMessage().getBody(String.class));
                    if (patch == null || !patch.isObject()) {
                        throw new ProblemException(400, "VALIDATION_FAILED", "The request body must be a JSON object");
                    }
                    tx.executeWithoutResult(s -> {
                        AutomationSettings next = store.loadForUpdate().with(patch);
                        store.save(next);
                        schedule.reschedule(next.cron());
                    });
                    e.getMessage().setBody(view());
                })
                .process(reply(200));
    }

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private Map<String, Object> view() {
        AutomationSettingsStore.Stored stored = store.loadStored();
        Map<String, Object> out = json.convertValue(stored.settings(), MAP);
        out.put("updated_at", stored.updatedAt() == null ? null : stored.updatedAt().toString());
        out.put("next_run_at", schedule.nextFireTime().map(Object::toString).orElse(null));
        out.put("last_run", batch.lastRun());
        return out;
    }
}
