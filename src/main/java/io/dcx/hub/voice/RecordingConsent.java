package io.dcx.hub.voice;

import io.dcx.hub.catalog.CatalogSnapshot;

/**
 * The consent source stored on every inbound call (REQ-COM-4): a recorded call carries its campaign's
 * {@code recording_consent_source} (how the campaign obtains consent: an IVR announcement or the agent asking), a
 * call that is not recorded (campaign default off, or a restricted buyer) carries NONE.
 */
public final class RecordingConsent {

    public static final String NONE = "NONE";
    public static final String DEFAULT_SOURCE = "IMPLICIT_IVR";

    private RecordingConsent() {}

    public static String source(boolean recorded, CatalogSnapshot.Campaign campaign) {
        if (!recorded) {
            return NONE;
        }
        return campaign == null || campaign.recordingConsentSource() == null ? DEFAULT_SOURCE : campaign.recordingConsentSource();
    }
}
