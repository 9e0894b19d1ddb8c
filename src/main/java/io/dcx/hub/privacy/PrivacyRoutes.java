package io.dcx.hub.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.calls.CallOwners;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.security.Callers;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Delete on request: {@code DELETE /api/calls/{id}/recording} and {@code POST /api/privacy/erase}. */
@Component
class PrivacyRoutes extends ApiRouteBuilder {

    private final CallArtifacts artifacts;
    private final Erasure erasure;
    private final CallArtifactStore store;
    private final CallOwners owners;
    private final ObjectMapper json;

    PrivacyRoutes(CallArtifacts artifacts, Erasure erasure, CallArtifactStore store, CallOwners owners, ObjectMapper json) {
        super(json);
        this.owners = owners;
        this.artifacts = artifacts;
        this.erasure = erasure;
        this.store = store;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("deleteCallRecording")
                // ADMIN on any call, a USER only on its own (the security chain admits no other role here)
                .process(e -> owners.check(e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                        jakarta.servlet.http.HttpServletRequest.class), e.getMessage().getHeader("id", String.class)))
                .process(e -> {
                    CallArtifacts.Recording recording = recordingOf(e.getMessage().getHeader("id", String.class));
                    try {
                        artifacts.deleteRecording(recording, "delete request by " + by(e));
                    } catch (TwilioCalls.RecordingNotDeleted failed) {
                        throw new ProblemException(502, "PROVIDER_ERROR", "Twilio did not confirm the deletion of the "
                                + "recording, so nothing was changed; try again: " + failed.getMessage());
                    }
                    e.getMessage().setBody(null);
                })
                .process(reply(204));

        operation("erasePersonalData")
                .process(e -> e.getMessage().setBody(erasure.erase(
                        json.readTree(e.getMessage().getBody(String.class)).path("phone_number").asText(null), by(e))))
                .process(reply(200));
    }

    /** Who asked, for the log lines. */
    private static String by(Exchange e) {
        return Objects.requireNonNullElse(Callers.name(e), "unknown");
    }

    private CallArtifacts.Recording recordingOf(String id) {
        Optional<CallArtifactStore.CallRecording> call;
        if (id != null && id.startsWith("call_")) {
            call = store.recordingOf(id);
        } else {
            try {
                call = store.recordingOf(UUID.fromString(String.valueOf(id)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.notFound("Call", String.valueOf(id));
            }
        }
        CallArtifacts.Recording recording = call.orElseThrow(() -> ProblemException.notFound("Call", id)).recording();
        if (recording == null) {
            throw new ProblemException(404, "NO_RECORDING", "Call " + id + " has no recording (never recorded, or already deleted)");
        }
        return recording;
    }
}
