package io.dcx.hub.provider.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.dcx.hub.config.HubProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Twilio's Messages API ({@code POST /Accounts/{AccountSid}/Messages.json}) at {@code DCX_TWILIO_API_BASE_URL}. Sent
 * once: a POST is never retried by the SDK ({@link RebasedTwilioHttpClient}), so an unclear outcome cannot become a
 * second text. Only {@code io.dcx.hub.messaging.SmsSender} uses it; it checks opt-outs first.
 */
@Component
public class TwilioMessages {

    private final LazyTwilioClient client;

    public TwilioMessages(HubProperties properties,
            @Value("${dcx.twilio.api-base-url:https://api.twilio.com}") String baseUrl) {
        this.client = new LazyTwilioClient(properties.twilio(), baseUrl);
    }

    /**
     * Sends a text from a number or through a Messaging Service (A2P 10DLC campaigns are attached to a service).
     *
     * @return the MessageSid
     * @throws MessageNotSent when Twilio refused it or did not answer
     */
    public String send(String to, String from, String messagingServiceSid, String body) {
        MessageCreator creator = messagingServiceSid != null && !messagingServiceSid.isBlank()
                ? Message.creator(new PhoneNumber(to), messagingServiceSid, body)
                : Message.creator(new PhoneNumber(to), new PhoneNumber(from), body);
        try {
            return creator.create(client()).getSid();
        } catch (ApiException e) {
            throw new MessageNotSent("Twilio answered " + e.getStatusCode() + " (code " + e.getCode() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MessageNotSent("no answer from Twilio: " + e.getMessage(), e);
        }
    }

    private TwilioRestClient client() {
        return client.get(() -> new MessageNotSent("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set", null));
    }

    /** Twilio did not accept the message. */
    public static class MessageNotSent extends RuntimeException {
        public MessageNotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
