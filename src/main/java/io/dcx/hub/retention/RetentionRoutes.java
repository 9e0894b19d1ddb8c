package io.dcx.hub.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.security.Callers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Retention: the nightly run on the clustered Quartz scheduler, {@code POST /api/retention/run}, the runs' records
 * and {@code GET/PUT /api/settings/retention}.
 */
@Component
class RetentionRoutes extends ApiRouteBuilder {

    private static final String FINISHED = "DcxRetentionFinished";

    private final RetentionRuns runs;
    private final RetentionSettingsStore settings;
    private final RetentionProperties properties;
    private final ObjectMapper json;

    RetentionRoutes(RetentionRuns runs, RetentionSettingsStore settings, RetentionProperties properties, ObjectMapper json) {
        super(json);
        this.runs = runs;
        this.settings = settings;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public void configure() {
        // stateful: never two executions of the job at once; recoverable: re-run on another instance if this one dies
        from("quartz://dcx/retention-nightly?cron={{dcx.retention.cron}}&trigger.timeZone={{dcx.retention.time-zone}}"
                + "&stateful=true&recoverableJob=true&usingFixedCamelContextName=true")
                .routeId("retention-nightly")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .autoStartup(properties.enabled())
                .process(e -> runs.runScheduled());

        operation("getRetentionSettings")
                .process(e -> e.getMessage().setBody(settings.get().toMap()))
                .process(reply(200));

        operation("updateRetentionSettings")
                .process(e -> e.getMessage().setBody(settings.put(
                        RetentionSettings.parse(json.readTree(e.getMessage().getBody(String.class)))).toMap()))
                .process(reply(200));

        operation("runRetention")
                .process(e -> {
                    String body = e.getMessage().getBody(String.class);
                    JsonNode request = body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
                    Map<String, Object> run = runs.startManual(request.path("dry_run").asBoolean(false), Callers.name(e));
                    e.getMessage().setHeader(FINISHED, !"RUNNING".equals(run.get("status")));
                    e.getMessage().setBody(run);
                })
                .choice()
                    .when(header(FINISHED).isEqualTo(true)).process(reply(200))
                    .otherwise().process(reply(202))
                .end();

        operation("getRetentionRun")
                .process(e -> e.getMessage().setBody(runs.get(e.getMessage().getHeader("id", String.class))))
                .process(reply(200));

        operation("listRetentionRuns")
                .process(e -> {
                    Map<String, Object> page = new LinkedHashMap<>();
                    page.put("items", runs.recent(QueryParameters.limit(QueryParameters.of(e))));
                    e.getMessage().setBody(page);
                })
                .process(reply(200));
    }

}
