/**
 * Provider-neutral inputs of the telephony capabilities (voice, recordings). It imports nothing of the hub, so a
 * provider adapter (provider.twilio) can map its wire names onto these records and a capability can consume them
 * without either importing the other back.
 */
package io.dcx.hub.telephony;
