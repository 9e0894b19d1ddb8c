package io.dcx.hub.pii;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of personal-data protection ({@code dcx.pii.*}).
 *
 * @param encryptionKey base64 of 32 random bytes ({@code DCX_PII_ENCRYPTION_KEY}); required outside the dev profile.
 *                      Two sub-keys are derived from it: one for AES-GCM, one for the lookup hash.
 */
@ConfigurationProperties("dcx.pii")
public record PiiProperties(String encryptionKey) {}
