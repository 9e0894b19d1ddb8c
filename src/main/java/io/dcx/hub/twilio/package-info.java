/**
 * The one edge of Twilio's webhooks ({@code /twilio/*}): Camel's servlet and its fast lane past the filter chain, the
 * raw form body, signature check, TwiML answers and the shared error handling. Voice, recordings and messaging import
 * it; it imports no capability (metrics come through {@link io.dcx.hub.twilio.TwilioWebhookMetrics}), so none of them
 * needs another for its webhook.
 */
package io.dcx.hub.twilio;
