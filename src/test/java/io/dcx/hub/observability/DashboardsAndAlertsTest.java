package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * config/: the alert rules hold the PRD thresholds and Prometheus loads them (promtool check config, rules included,
 * when promtool is installed; their structure either way), and the dashboard's queries name only metrics of the
 * catalog (docs/observability.md), and compose's hub sends its traces through the collector to Jaeger.
 */
class DashboardsAndAlertsTest {

    private static final Path ALERTS = Path.of("config/prometheus-alerts.yml");
    private static final Path DASHBOARD = Path.of("config/grafana/dashboards/dcx-hub-business.json");
    private static final Pattern METRIC = Pattern.compile("\\b([a-z][a-z0-9_]*)\\s*\\{");

    @Test
    void alertRulesHoldThePrdThresholdsAndPassPromtool() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        List<String> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("alert").asText()).as(rule.toString()).isNotBlank();
                assertThat(rule.path("expr").asText()).isNotBlank();
                assertThat(rule.path("labels").path("severity").asText()).isIn("page", "ticket");
                assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
                names.add(rule.path("alert").asText());
                exprs.add(rule.path("expr").asText());
            }
        }
        assertThat(names).contains("RoutingDecisionP95High", "TimeToTwimlP95High", "ErrorBudgetBurned", "OutboxLagHigh",
                "WebhookDeadLetters");
        String all = String.join("\n", exprs);
        assertThat(all).contains("routing_decision_duration_ms_bucket", "> 400", "routeId=\"twilio-voice\"", "> 0.5",
                "voice_calls_failed_internal_total", "> 0.005", "outbox_lag_seconds", "> 30",
                "webhook_deliveries_total", "status=\"dead\"");
        assertThat(Files.readString(Path.of("config/prometheus.yml"))).contains("rule_files", "prometheus-alerts.yml");
        assertThat(Files.readString(Path.of("docker-compose.yml")))
                .contains("./config/prometheus-alerts.yml:/etc/prometheus/prometheus-alerts.yml");

        File promtool = promtool();
        if (promtool != null) {
            Process check = new ProcessBuilder(promtool.getPath(), "check", "config", "config/prometheus.yml")
                    .redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(out).isZero();
        }
    }

    @Test
    void composeSendsTheHubsTracesThroughTheCollectorToJaeger() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode services = yaml.readTree(Path.of("docker-compose.yml").toFile()).path("services");
        assertThat(services.path("hub").path("environment").path("OTEL_EXPORTER_OTLP_ENDPOINT").asText())
                .contains("http://otel-collector:4318");
        assertThat(services.path("otel-collector").path("volumes").toString())
                .contains("./config/otel-collector.yaml:/etc/otelcol-contrib/config.yaml");
        assertThat(services.path("jaeger").path("ports").toString()).contains(":16686:16686");
        JsonNode collector = yaml.readTree(Path.of("config/otel-collector.yaml").toFile());
        assertThat(collector.path("receivers").path("otlp").path("protocols").path("http").path("endpoint").asText())
                .endsWith(":4318");
        JsonNode traces = collector.path("service").path("pipelines").path("traces");
        assertThat(traces.path("receivers").toString()).contains("otlp");
        String exporter = traces.path("exporters").get(0).asText();
        assertThat(collector.path("exporters").path(exporter).path("endpoint").asText()).isEqualTo("jaeger:4317");
    }

    @Test
    void theDashboardQueriesOnlyCatalogMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("dcx-hub-business");
        List<String> titles = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.add(panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("prometheus");
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    metrics.add(m.group(1));
                }
            }
        }
        assertThat(titles).contains("Calls per minute by campaign", "Time-to-TwiML (/twilio/voice)", "Routing decision",
                "Connect rate (routed to a buyer)", "Provider webhook errors by type",
                "Outbound webhook deliveries by outcome", "Outbox lag", "Error budget used (1 h)", "Dead letters (24 h)");
        String catalog = Files.readString(Path.of("docs/observability.md"));
        assertThat(metrics).isNotEmpty().allSatisfy(name ->
                assertThat(catalog).as(name + " in docs/observability.md").contains("`" + baseName(name)));
    }

    /** The catalog names a histogram or counter once, without Prometheus' _bucket/_total suffixes. */
    private static String baseName(String series) {
        return series.replaceAll("_(bucket|count|sum)$", "").replaceAll("_total$", "");
    }

    private static File promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }
}
