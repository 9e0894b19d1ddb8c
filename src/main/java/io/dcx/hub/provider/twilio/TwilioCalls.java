package io.dcx.hub.provider.twilio;

import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallCreator;
import com.twilio.rest.api.v2010.account.Recording;
import com.twilio.type.PhoneNumber;
import io.dcx.hub.config.HubProperties;
import io.dcx.hub.observability.ProviderCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Twilio REST API as the hub uses it: create an outbound call, look for a call that may already exist, fetch
 * a recording's media and delete a recording (retention, delete on request). Requests go to {@code DCX_TWILIO_API_BASE_URL} (default {@code https://api.twilio.com}),
 * authenticated with the account SID and auth token; POSTs are never retried by the SDK
 * ({@link RebasedTwilioHttpClient}).
 */
@Component
public class TwilioCalls {

    private static final List<String> CALL_EVENTS = List.of("initiated", "ringing", "answered", "completed");

    private final HubProperties.Twilio credentials;
    private final String baseUrl;
    private final HttpClient media;
    private final LazyTwilioClient client;

    public TwilioCalls(HubProperties properties,
            @Value("${dcx.twilio.api-base-url:https://api.twilio.com}") String baseUrl) {
        this.credentials = properties.twilio();
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? RebasedTwilioHttpClient.TWILIO_API : baseUrl.replaceAll("/+$", "");
        this.client = new LazyTwilioClient(credentials, this.baseUrl);
        this.media = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What to ask Twilio for. {@code answerUrl} or else {@code answerTwiml} runs when the callee answers. */
    public record OutboundCall(String to, String from, String answerUrl, String answerTwiml, String statusCallbackUrl,
            boolean record, String recordingCallbackUrl, String machineDetection) {}

    /** A call Twilio knows: its CallSid and when it was created. */
    public record PlacedCall(String callSid, Instant createdAt) {}

    /**
     * POST /Calls once. Throws {@link CallRejected} when Twilio refused the request for good (4xx), and
     * {@link CallOutcomeUnknown} when the answer was a 5xx or none at all: the call may or may not exist.
     */
    public PlacedCall create(OutboundCall c) {
        CallCreator creator = c.answerUrl() != null && !c.answerUrl().isBlank()
                ? Call.creator(new PhoneNumber(c.to()), new PhoneNumber(c.from()), URI.create(c.answerUrl()))
                : Call.creator(new PhoneNumber(c.to()), new PhoneNumber(c.from()), new com.twilio.type.Twiml(c.answerTwiml()));
        creator.setStatusCallback(URI.create(c.statusCallbackUrl()))
                .setStatusCallbackMethod(HttpMethod.POST)
                .setStatusCallbackEvent(CALL_EVENTS);
        if (c.record()) {
            creator.setRecord(true)
                    .setRecordingStatusCallback(c.recordingCallbackUrl())
                    .setRecordingStatusCallbackMethod(HttpMethod.POST)
                    .setRecordingStatusCallbackEvent(List.of("completed"));
        }
        if (c.machineDetection() != null && !c.machineDetection().isBlank()) {
            creator.setMachineDetection(c.machineDetection());
        }
        return place(creator);
    }

    // ---------------------------------------------------------------- power dialer (issue 19): AMD legs, call updates

    /**
     * A leg of the power dialer: answered → {@code answerUrl} (the hold queue) while answering-machine detection runs
     * asynchronously ({@code AsyncAmd=true}) and posts its result to {@code amdCallbackUrl}.
     */
    public record AmdCall(String to, String from, String answerUrl, String statusCallbackUrl, String machineDetection,
            String amdCallbackUrl) {}

    /** POST /Calls once with async AMD; the same outcomes as {@link #create(OutboundCall)}. */
    public PlacedCall createWithAmd(AmdCall c) {
        CallCreator creator = Call.creator(new PhoneNumber(c.to()), new PhoneNumber(c.from()), URI.create(c.answerUrl()))
                .setMethod(HttpMethod.POST)
                .setStatusCallback(URI.create(c.statusCallbackUrl()))
                .setStatusCallbackMethod(HttpMethod.POST)
                .setStatusCallbackEvent(CALL_EVENTS)
                .setMachineDetection(c.machineDetection())
                .setAsyncAmd("true")
                .setAsyncAmdStatusCallback(URI.create(c.amdCallbackUrl()))
                .setAsyncAmdStatusCallbackMethod(HttpMethod.POST);
        return place(creator);
    }

    /** One POST /Calls: a 4xx is a refusal (nothing placed), anything else unknown (look for the call before retrying). */
    private PlacedCall place(CallCreator creator) {
        Call call = send(() -> creator.create(client()));
        return new PlacedCall(call.getSid(), call.getDateCreated() == null ? Instant.now() : call.getDateCreated().toInstant());
    }

    /** Redirects a live call to new TwiML at {@code url} (POST /Calls/{CallSid} with {@code Url}). */
    public void redirect(String callSid, String url) {
        update(Call.updater(callSid).setUrl(URI.create(url)).setMethod(HttpMethod.POST));
    }

    /** Replaces a live call's TwiML ({@code Twiml}), e.g. a voicemail message then hang up. */
    public void replaceTwiml(String callSid, String twiml) {
        update(Call.updater(callSid).setTwiml(new com.twilio.type.Twiml(twiml)));
    }

    /**
     * Hangs a call up ({@code Status=completed}; Twilio cancels a call that is not answered yet). False when Twilio no
     * longer has the call live (4xx: it ended already); other failures throw {@link CallOutcomeUnknown}.
     */
    public boolean hangUp(String callSid) {
        try {
            update(Call.updater(callSid).setStatus(Call.UpdateStatus.COMPLETED));
            return true;
        } catch (CallRejected e) {
            return false;
        }
    }

    private void update(com.twilio.rest.api.v2010.account.CallUpdater updater) {
        send(() -> updater.update(client()));
    }

    /** One request about a call: a 4xx is a refusal ({@link CallRejected}), anything else {@link CallOutcomeUnknown}. */
    private static Call send(Supplier<Call> request) {
        try {
            return request.get();
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status != null && status >= 400 && status < 500) {
                throw new CallRejected(status, e.getCode(), e.getMessage());
            }
            throw new CallOutcomeUnknown(status == null ? "no answer from Twilio: " + e.getMessage()
                    : "Twilio answered " + status + ": " + e.getMessage(), e);
        } catch (CallRejected | CallOutcomeUnknown e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CallOutcomeUnknown("no answer from Twilio: " + e.getMessage(), e);
        }
    }

    /** A call as Twilio reports it: its status ({@code completed}, {@code no-answer}, …) and duration in seconds. */
    public record CallState(String status, Integer durationSeconds) {}

    /**
     * GET /2010-04-01/Accounts/{sid}/Calls/{CallSid}.json: the call's status and duration now; empty when Twilio has
     * no such call (404). Other failures throw {@link CallOutcomeUnknown}.
     */
    public Optional<CallState> fetch(String callSid) {
        try {
            Call call = Call.fetcher(callSid).fetch(client());
            Integer duration = null;
            if (call.getDuration() != null && call.getDuration().matches("\\d{1,9}")) {
                duration = Integer.valueOf(call.getDuration());
            }
            return Optional.of(new CallState(call.getStatus() == null ? null : call.getStatus().toString(), duration));
        } catch (ApiException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new CallOutcomeUnknown("Twilio answered " + e.getStatusCode() + " to GET /Calls: " + e.getMessage(), e);
        } catch (CallRejected e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CallOutcomeUnknown("no answer from Twilio: " + e.getMessage(), e);
        }
    }

    /** The newest call from {@code from} to {@code to} that Twilio created at or after {@code since}, if any. */
    public Optional<PlacedCall> findCreatedSince(String to, String from, Instant since) {
        ResourceSet<Call> calls = Call.reader().setTo(to).setFrom(from).setPageSize(20L).read(client());
        int seen = 0;
        for (Call call : calls) {
            if (++seen > 20) {
                break;
            }
            Instant created = call.getDateCreated() == null ? null : call.getDateCreated().toInstant();
            if (created != null && !created.isBefore(since)) {
                return Optional.of(new PlacedCall(call.getSid(), created));
            }
        }
        return Optional.empty();
    }

    /**
     * The MP3 of a recording ({@code RecordingUrl} + {@code .mp3}). Twilio's own URLs go to the configured API base
     * with account auth; a redirect (Twilio serves media from a presigned URL) is followed without credentials.
     */
    public byte[] fetchRecordingMp3(String recordingUrl) throws IOException, InterruptedException {
        String url = rebase(recordingUrl);
        if (!url.toLowerCase(java.util.Locale.ROOT).endsWith(".mp3")) {
            url = url + ".mp3";
        }
        boolean ours = url.startsWith(baseUrl + "/");
        for (int hop = 0; hop < 4; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
            if (ours && hop == 0) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (credentials.accountSid() + ":" + credentials.authToken()).getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<byte[]> response = ProviderCalls.send(media, request.build(),
                    HttpResponse.BodyHandlers.ofByteArray(), "twilio", "fetch_recording_media");
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                url = URI.create(url).resolve(response.headers().firstValue("Location").get()).toString();
                continue;
            }
            if (status != 200) {
                throw new IOException("recording media answered HTTP " + status);
            }
            return response.body();
        }
        throw new IOException("recording media redirected too often");
    }

    /**
     * DELETE the recording from Twilio ({@code /Recordings/{RecordingSid}.json}). True when Twilio deleted it, false
     * when Twilio no longer has it (404: already deleted, so the outcome the caller wants). Any other failure throws
     * {@link RecordingNotDeleted}; the caller keeps its own reference so a later run can try again.
     */
    public boolean deleteRecording(String recordingSid) {
        try {
            return Recording.deleter(recordingSid).delete(client());
        } catch (ApiException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 404) {
                return false;
            }
            throw new RecordingNotDeleted("Twilio answered " + e.getStatusCode() + ": " + e.getMessage(), e);
        } catch (CallRejected e) {
            throw new RecordingNotDeleted(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new RecordingNotDeleted("no answer from Twilio: " + e.getMessage(), e);
        }
    }

    private String rebase(String url) {
        if (url != null && url.startsWith(RebasedTwilioHttpClient.TWILIO_API + "/")) {
            return baseUrl + url.substring(RebasedTwilioHttpClient.TWILIO_API.length());
        }
        return url;
    }

    private TwilioRestClient client() {
        return client.get(() -> new CallRejected(0, null, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set"));
    }

    /** Twilio refused the call for good (bad number, unverified caller id, ...): retrying would not help. */
    public static class CallRejected extends RuntimeException {
        private final int status;

        public CallRejected(int status, Integer code, String message) {
            super("Twilio refused the call" + (status > 0 ? " (HTTP " + status + (code == null ? "" : ", code " + code) + ")" : "")
                    + ": " + message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Twilio did not confirm a recording's deletion; it may still exist there. */
    public static class RecordingNotDeleted extends RuntimeException {
        public RecordingNotDeleted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** No usable answer to POST /Calls: the call may exist. Retry only after checking. */
    public static class CallOutcomeUnknown extends RuntimeException {
        public CallOutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
