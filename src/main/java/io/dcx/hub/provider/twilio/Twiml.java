package io.dcx.hub.provider.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import java.util.List;

/** TwiML documents the hub answers with, built with the Twilio SDK. */
public final class Twiml {

    public static final String CONTENT_TYPE = "text/xml";
    private static final List<Number.Event> CALL_EVENTS =
            List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED, Number.Event.COMPLETED);
    private static final List<Sip.Event> SIP_EVENTS =
            List.of(Sip.Event.INITIATED, Sip.Event.RINGING, Sip.Event.ANSWERED, Sip.Event.COMPLETED);
    static {
        // The SDK's toXml() asks DocumentBuilderFactory and TransformerFactory for an implementation on every call;
        // without these properties each ask scans the whole class path through ServiceLoader (measured: ~3 ms of
        // CPU per document in the packaged jar, 76 % of a voice webhook). Pin the JDK's own implementations unless
        // the operator chose others.
        pin("javax.xml.parsers.DocumentBuilderFactory", "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl");
        pin("javax.xml.transform.TransformerFactory", "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl");
    }

    private static final String EMPTY = new VoiceResponse.Builder().build().toXml();
    private static final String HANG_UP = new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build().toXml();

    private Twiml() {}

    private static void pin(String property, String implementation) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, implementation);
        }
    }

    /** What to dial: a buyer (or fallback) endpoint with its callback URLs. */
    public record DialTarget(String destinationType, String destination, String actionUrl, String statusCallbackUrl,
            int timeoutSeconds, int timeLimitSeconds, boolean record, String recordingCallbackUrl) {}

    public static String dial(DialTarget t) {
        Dial.Builder dial = new Dial.Builder()
                .action(t.actionUrl())
                .method(HttpMethod.POST)
                .timeout(t.timeoutSeconds())
                .timeLimit(t.timeLimitSeconds());
        if (t.record()) {
            dial.record(Dial.Record.RECORD_FROM_ANSWER_DUAL);
            if (t.recordingCallbackUrl() != null) {
                dial.recordingStatusCallback(t.recordingCallbackUrl()).recordingStatusCallbackMethod(HttpMethod.POST);
            }
        }
        if ("SIP".equals(t.destinationType())) {
            dial.sip(new Sip.Builder(t.destination())
                    .statusCallback(t.statusCallbackUrl())
                    .statusCallbackMethod(HttpMethod.POST)
                    .statusCallbackEvents(SIP_EVENTS)
                    .build());
        } else {
            dial.number(new Number.Builder(t.destination())
                    .statusCallback(t.statusCallbackUrl())
                    .statusCallbackMethod(HttpMethod.POST)
                    .statusCallbackEvents(CALL_EVENTS)
                    .build());
        }
        return new VoiceResponse.Builder().dial(dial.build()).build().toXml();
    }

    public static String sayAndHangUp(String message) {
        return new VoiceResponse.Builder()
                .say(new Say.Builder(message).build())
                .hangup(new Hangup.Builder().build())
                .build()
                .toXml();
    }

    /** A messaging response with one {@code <Message>}. */
    public static String message(String text) {
        return new com.twilio.twiml.MessagingResponse.Builder()
                .message(new com.twilio.twiml.messaging.Message.Builder(text).build())
                .build()
                .toXml();
    }

    public static String hangUp() {
        return HANG_UP;
    }

    /** {@code <Response/>}: the answer to callbacks that need no instructions. */
    public static String empty() {
        return EMPTY;
    }

    // ---------------------------------------------------------------- power dialer (issue 19)

    /** Hold music in a loop ({@code <Play loop="0">}) while answering-machine detection runs. */
    public static String holdMusic(String musicUrl) {
        return new VoiceResponse.Builder()
                .play(new com.twilio.twiml.voice.Play.Builder(musicUrl).loop(0).build())
                .build().toXml();
    }

    /**
     * Joins the call to a conference. The agent's leg starts it and ends it when it leaves; a contact's leg only
     * joins (it waits for the agent with the conference's hold music if the agent is not in yet).
     */
    public static String conference(String name, boolean agent) {
        return new VoiceResponse.Builder()
                .dial(new Dial.Builder().conference(new com.twilio.twiml.voice.Conference.Builder(name)
                        .startConferenceOnEnter(agent)
                        .endConferenceOnExit(agent)
                        .beep(com.twilio.twiml.voice.Conference.Beep.FALSE)
                        .build()).build())
                .build().toXml();
    }
}
