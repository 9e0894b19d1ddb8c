package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import org.quartz.CronExpression;

/**
 * The lead batch's settings (the seed's {@code settings} row, key {@code automation} of the settings table), changed
 * at run time with {@code PUT /api/settings/automation}.
 *
 * @param automationEnabled         whether the cron batch (and {@code POST /api/cron}) calls leads at all
 * @param maxCallsBatch             leads claimed per batch
 * @param retryInterval             minutes between two calls to one lead
 * @param maxAttempts               calls per lead, then its last outcome is final
 * @param providerConcurrencyLimit  Vapi calls in flight at once (leads in {@code calling}), whatever the instance
 * @param cron                      Quartz cron expression of the batch (seconds first), every 5 minutes by default
 */
public record AutomationSettings(boolean automationEnabled, int maxCallsBatch, int retryInterval, int maxAttempts,
        int providerConcurrencyLimit, String cron) {

    public static final AutomationSettings DEFAULTS = new AutomationSettings(false, 10, 15, 3, 10, "0 0/5 * * * ?");

    /** From the stored JSON document; missing keys keep their defaults. */
    static AutomationSettings fromJson(JsonNode v) {
        AutomationSettings d = DEFAULTS;
        return new AutomationSettings(
                v.path("automation_enabled").asBoolean(d.automationEnabled()),
                v.path("max_calls_batch").asInt(d.maxCallsBatch()),
                v.path("retry_interval").asInt(d.retryInterval()),
                v.path("max_attempts").asInt(d.maxAttempts()),
                v.path("provider_concurrency_limit").asInt(d.providerConcurrencyLimit()),
                v.path("cron").asText(d.cron()));
    }

    /** These settings with the fields present in {@code patch} changed (the contract has checked their types). */
    AutomationSettings with(JsonNode patch) {
        AutomationSettings changed = new AutomationSettings(
                patch.path("automation_enabled").asBoolean(automationEnabled),
                patch.path("max_calls_batch").asInt(maxCallsBatch),
                patch.path("retry_interval").asInt(retryInterval),
                patch.path("max_attempts").asInt(maxAttempts),
                patch.path("provider_concurrency_limit").asInt(providerConcurrencyLimit),
                patch.hasNonNull("cron") ? patch.get("cron").asText().trim().replaceAll("\\s+", " ") : cron);
        changed.validate();
        return changed;
    }

    void validate() {
        range("max_calls_batch", maxCallsBatch, 1, 1000);
        range("retry_interval", retryInterval, 0, 10080);
        range("max_attempts", maxAttempts, 1, 100);
        range("provider_concurrency_limit", providerConcurrencyLimit, 1, 10000);
        if (cron == null || !CronExpression.isValidExpression(cron)) {
            throw ProblemException.validation("cron",
                    "cron must be a Quartz cron expression with seconds, such as '0 0/5 * * * ?' (every 5 minutes)");
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ProblemException.validation(field, field + " must be from " + min + " to " + max);
        }
    }
}
