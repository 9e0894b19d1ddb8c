package io.dcx.hub.messaging;

import io.dcx.hub.provider.twilio.TwilioMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The one way the hub sends a text (supplier and buyer alerts): a number that opted out (STOP, kept in
 * {@code sms_opt_outs}) is never texted; otherwise the message goes through Twilio from {@code DCX_SMS_FROM} or the
 * Messaging Service {@code DCX_SMS_MESSAGING_SERVICE_SID}. {@code sms_sent_total{outcome=sent|opted_out|failed}}.
 */
@Service
public class SmsSender {

    private static final Logger log = LoggerFactory.getLogger(SmsSender.class);

    /** What happened to a message: sent (with Twilio's MessageSid) or refused because the recipient opted out. */
    public record Result(boolean sent, String messageSid) {
        static Result optedOut() {
            return new Result(false, null);
        }
    }

    private final SmsOptOuts optOuts;
    private final TwilioMessages twilio;
    private final String from;
    private final String messagingServiceSid;
    private final Counter sent;
    private final Counter refused;
    private final Counter failed;

    public SmsSender(SmsOptOuts optOuts, TwilioMessages twilio, MeterRegistry registry,
            @Value("${dcx.sms.from:}") String from, @Value("${dcx.sms.messaging-service-sid:}") String messagingServiceSid) {
        this.optOuts = optOuts;
        this.twilio = twilio;
        this.from = from;
        this.messagingServiceSid = messagingServiceSid;
        this.sent = Counter.builder("sms_sent").tag("outcome", "sent").register(registry);
        this.refused = Counter.builder("sms_sent").tag("outcome", "opted_out").register(registry);
        this.failed = Counter.builder("sms_sent").tag("outcome", "failed").register(registry);
    }

    /**
     * @throws TwilioMessages.MessageNotSent when Twilio did not accept it (or no sender is configured)
     */
    public Result send(String to, String body) {
        if (optOuts.isOptedOut(to)) {
            refused.increment();
            log.info("SMS not sent: the recipient has opted out (STOP)");
            return Result.optedOut();
        }
        if ((from == null || from.isBlank()) && (messagingServiceSid == null || messagingServiceSid.isBlank())) {
            failed.increment();
            throw new TwilioMessages.MessageNotSent("Set DCX_SMS_FROM or DCX_SMS_MESSAGING_SERVICE_SID to send texts", null);
        }
        try {
            String sid = twilio.send(to, from, messagingServiceSid, body);
            sent.increment();
            log.info("SMS {} sent", sid);
            return new Result(true, sid);
        } catch (TwilioMessages.MessageNotSent e) {
            failed.increment();
            throw e;
        }
    }
}
