package io.dcx.hub.observability;

import java.util.List;

/** The Prometheus series of the metric catalog (docs/observability.md), as the tests look for them. */
final class MetricCatalogNames {

    static final List<String> NAMES = List.of(
            "dial_attempts_total",
            "asr_latency_seconds_bucket",
            "webhook_errors_total",
            "routing_decision_duration_ms_bucket",
            "voice_calls_total",
            "voice_calls_failed_internal_total",
            "http_server_requests_seconds_bucket",
            "outbox_lag_seconds",
            "webhook_deliveries_total",
            "webhook_delivery_duration_seconds_bucket",
            "camel_exchanges_total",
            // time-to-TwiML: the twilio-voice route's timer with buckets (WebhookLatencyHistograms)
            "camel_route_policy_seconds_bucket\\{[^}]*routeId=\"twilio-voice\"");

    private MetricCatalogNames() {}
}
