package io.dcx.hub.messaging;

import io.dcx.hub.compliance.DncService;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.support.Validations;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * REQ-COM-3: the hub's own copy of SMS opt-outs. STOP records the number in {@code sms_opt_outs} and, as an opt-out
 * from any channel must, on the DNC list (source SMS_STOP); START removes both (only a DNC entry that came from
 * SMS); HELP answers the configured message. Outbound SMS must ask {@link #isOptedOut} first.
 */
@Service
public class SmsOptOuts {

    private final SmsOptOutStore store;
    private final TransactionTemplate tx;
    private final DncService dnc;
    private final String helpMessage;

    SmsOptOuts(SmsOptOutStore store, TransactionTemplate tx, DncService dnc,
            @Value("${dcx.sms.help-message}") String helpMessage) {
        this.store = store;
        this.tx = tx;
        this.dnc = dnc;
        this.helpMessage = helpMessage;
    }

    /** Applies an inbound message and returns the TwiML answer. */
    public String onInbound(String from, String body, String optOutType) {
        OptOutKeywords.Intent intent = OptOutKeywords.classify(body, optOutType);
        switch (intent) {
            case STOP -> tx.executeWithoutResult(s -> {
                store.optOut(from, OptOutKeywords.keyword(body));
                if (Validations.isE164(from)) { // not for channel addresses such as whatsapp:+1…
                    dnc.optOut(from, "SMS_STOP", "SMS opt-out", "twilio-sms");
                }
            });
            case START -> tx.executeWithoutResult(s -> store.optIn(from));
            case HELP -> {
                return Twiml.message(helpMessage);
            }
            case NONE -> { }
        }
        // Twilio itself confirms STOP/START to the sender; a second reply from us would be noise
        return Twiml.empty();
    }

    public boolean isOptedOut(String phoneNumber) {
        return store.isOptedOut(phoneNumber);
    }
}
