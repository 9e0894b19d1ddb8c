package io.dcx.hub.provider.twilio;

import com.twilio.base.Reader;
import com.twilio.base.Resource;
import com.twilio.base.ResourceSet;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumberCreator;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumberUpdater;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.Local;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.LocalReader;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.TollFree;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.TollFreeReader;
import com.twilio.type.PhoneNumber;
import com.twilio.type.PhoneNumberCapabilities;
import io.dcx.hub.config.HubProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Twilio's phone-number APIs as the hub uses them: search {@code AvailablePhoneNumbers/{Country}/Local|TollFree},
 * and {@code IncomingPhoneNumbers} list, create (buy), update (webhook URLs) and delete (release). Requests go to
 * {@code DCX_TWILIO_API_BASE_URL} through {@link RebasedTwilioHttpClient} (a POST is sent once: buying is never
 * repeated by the SDK), authenticated with the account SID and auth token, like {@link TwilioCalls}.
 * Every failure is a {@link NumbersApiFailure} that says what kind it was; the caller maps it to its answer.
 */
@Component
public class TwilioNumbers {

    /** Twilio error codes that mean "this number cannot be bought (any more)". */
    private static final Set<Integer> NOT_AVAILABLE = Set.of(21422, 21421, 21452);
    /** Page size of the account's number list (Twilio's maximum). */
    private static final long LIST_PAGE = 1000L;

    private final LazyTwilioClient client;

    public TwilioNumbers(HubProperties properties,
            @Value("${dcx.twilio.api-base-url:https://api.twilio.com}") String baseUrl) {
        this.client = new LazyTwilioClient(properties.twilio(), baseUrl);
    }

    /** What to search: {@code type} is {@code local} or {@code toll_free}; null filters are not sent. */
    public record Search(String country, String type, Integer areaCode, String contains, String inRegion, int limit) {}

    /** A number Twilio offers. */
    public record AvailableNumber(String e164, String friendlyName, String locality, String region, String postalCode,
            String isoCountry, boolean voice, boolean sms, boolean mms, boolean fax) {}

    /** Where Twilio sends a number's calls and texts. {@code voiceApplicationSid} wins over {@code voiceUrl}. */
    public record Webhooks(String voiceUrl, String voiceApplicationSid, String smsUrl, String statusCallback) {}

    /** A number of the account (an IncomingPhoneNumber). */
    public record OwnedNumber(String sid, String e164, String friendlyName, Webhooks webhooks) {}

    /** What to buy: a given number, or any number in an area code. */
    public record Purchase(String e164, String areaCode, String friendlyName, Webhooks webhooks) {}

    public List<AvailableNumber> search(Search s) {
        return call(() -> {
            List<AvailableNumber> out;
            if ("toll_free".equals(s.type())) {
                TollFreeReader reader = TollFree.reader(s.country()).setPageSize((long) s.limit());
                filter(s, reader::setAreaCode, reader::setContains, reader::setInRegion);
                out = read(reader, n -> available(n.getPhoneNumber(), n.getFriendlyName(), n.getLocality(),
                        n.getRegion(), n.getPostalCode(), n.getIsoCountry(), n.getCapabilities()));
            } else {
                LocalReader reader = Local.reader(s.country()).setPageSize((long) s.limit());
                filter(s, reader::setAreaCode, reader::setContains, reader::setInRegion);
                out = read(reader, n -> available(n.getPhoneNumber(), n.getFriendlyName(), n.getLocality(),
                        n.getRegion(), n.getPostalCode(), n.getIsoCountry(), n.getCapabilities()));
            }
            return out.size() > s.limit() ? out.subList(0, s.limit()) : out;
        });
    }

    /** The search's filters that are set, each through the reader's own setter (the two readers share no type). */
    private static void filter(Search s, Consumer<Integer> areaCode, Consumer<String> contains,
            Consumer<String> inRegion) {
        if (s.areaCode() != null) {
            areaCode.accept(s.areaCode());
        }
        if (s.contains() != null) {
            contains.accept(s.contains());
        }
        if (s.inRegion() != null) {
            inRegion.accept(s.inRegion());
        }
    }

    private <T extends Resource> List<AvailableNumber> read(Reader<T> reader, Function<T, AvailableNumber> available) {
        List<AvailableNumber> out = new ArrayList<>();
        for (T n : reader.firstPage(client()).getRecords()) {
            out.add(available.apply(n));
        }
        return out;
    }

    /** POST IncomingPhoneNumbers once: the number is the account's when this returns. */
    public OwnedNumber buy(Purchase p) {
        return call(() -> {
            IncomingPhoneNumberCreator creator = p.e164() != null
                    ? IncomingPhoneNumber.creator(new PhoneNumber(p.e164()))
                    : IncomingPhoneNumber.creator(p.areaCode());
            creator.setFriendlyName(p.friendlyName());
            Webhooks w = p.webhooks();
            if (w.voiceApplicationSid() != null) {
                creator.setVoiceApplicationSid(w.voiceApplicationSid());
            } else {
                creator.setVoiceUrl(URI.create(w.voiceUrl())).setVoiceMethod(HttpMethod.POST);
            }
            creator.setSmsUrl(URI.create(w.smsUrl())).setSmsMethod(HttpMethod.POST)
                    .setStatusCallback(URI.create(w.statusCallback())).setStatusCallbackMethod(HttpMethod.POST);
            return owned(creator.create(client()));
        });
    }

    /** The account's numbers with this FriendlyName (how a purchase whose answer was lost is found again). */
    public Optional<OwnedNumber> findByFriendlyName(String friendlyName) {
        return call(() -> {
            for (IncomingPhoneNumber n : IncomingPhoneNumber.reader().setFriendlyName(friendlyName).setPageSize(20L)
                    .read(client())) {
                if (friendlyName.equals(n.getFriendlyName())) {
                    return Optional.of(owned(n));
                }
            }
            return Optional.empty();
        });
    }

    /** Every number of the account, all pages. */
    public List<OwnedNumber> listAll() {
        return call(() -> {
            List<OwnedNumber> out = new ArrayList<>();
            ResourceSet<IncomingPhoneNumber> numbers = IncomingPhoneNumber.reader().setPageSize(LIST_PAGE).read(client());
            for (IncomingPhoneNumber n : numbers) {
                out.add(owned(n));
            }
            return out;
        });
    }

    /** Points the number's voice, SMS and status callbacks at {@code webhooks}. */
    public OwnedNumber updateWebhooks(String sid, Webhooks w) {
        return call(() -> {
            IncomingPhoneNumberUpdater updater = IncomingPhoneNumber.updater(sid);
            if (w.voiceApplicationSid() != null) {
                updater.setVoiceApplicationSid(w.voiceApplicationSid());
            } else {
                // an empty VoiceApplicationSid detaches a TwiML App, so the voice URL applies
                updater.setVoiceApplicationSid("").setVoiceUrl(URI.create(w.voiceUrl())).setVoiceMethod(HttpMethod.POST);
            }
            updater.setSmsUrl(URI.create(w.smsUrl())).setSmsMethod(HttpMethod.POST)
                    .setStatusCallback(URI.create(w.statusCallback())).setStatusCallbackMethod(HttpMethod.POST);
            return owned(updater.update(client()));
        });
    }

    /** DELETE the number from the account: true when Twilio released it, false when the account no longer had it. */
    public boolean release(String sid) {
        try {
            return call(() -> IncomingPhoneNumber.deleter(sid).delete(client()));
        } catch (NumbersApiFailure e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static AvailableNumber available(PhoneNumber e164, PhoneNumber friendly, String locality, String region,
            String postalCode, String isoCountry, PhoneNumberCapabilities c) {
        return new AvailableNumber(e164 == null ? null : e164.toString(), friendly == null ? null : friendly.toString(),
                locality, region, postalCode, isoCountry, c != null && c.getVoice(), c != null && c.getSms(),
                c != null && c.getMms(), c != null && c.getFax());
    }

    private static OwnedNumber owned(IncomingPhoneNumber n) {
        return new OwnedNumber(n.getSid(), n.getPhoneNumber() == null ? null : n.getPhoneNumber().toString(),
                n.getFriendlyName(), new Webhooks(text(n.getVoiceUrl()), blankToNull(n.getVoiceApplicationSid()),
                        text(n.getSmsUrl()), text(n.getStatusCallback())));
    }

    private static String text(URI uri) {
        return uri == null ? null : blankToNull(uri.toString());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (ApiException e) {
            throw NumbersApiFailure.of(e.getStatusCode(), e.getCode(), e.getMessage(), e);
        } catch (NumbersApiFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NumbersApiFailure(Kind.NO_ANSWER, null, null, "no answer from Twilio: " + e.getMessage(), e);
        }
    }

    private TwilioRestClient client() {
        return client.get(() -> new NumbersApiFailure(Kind.AUTH_FAILED, null, null, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set", null));
    }

    /** What went wrong at Twilio. */
    public enum Kind {
        /** the number is no longer available to buy (Twilio 21422 and kin) */
        NOT_AVAILABLE,
        /** Twilio refused the account's credentials (401/403), or they are not configured */
        AUTH_FAILED,
        /** the resource does not exist at Twilio (404) */
        NOT_FOUND,
        /** any other refusal of the request (4xx) */
        REFUSED,
        /** a 5xx or no answer: the outcome is unknown */
        NO_ANSWER
    }

    /** A Twilio numbers request that failed; {@link #kind()} says how. */
    public static class NumbersApiFailure extends RuntimeException {
        private final Kind kind;
        private final Integer status;
        private final Integer code;

        public NumbersApiFailure(Kind kind, Integer status, Integer code, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.status = status;
            this.code = code;
        }

        static NumbersApiFailure of(Integer status, Integer code, String message, Throwable cause) {
            String text = "Twilio answered " + (status == null ? "no status" : "HTTP " + status)
                    + (code == null ? "" : ", code " + code) + ": " + message;
            Kind kind;
            if (code != null && NOT_AVAILABLE.contains(code)) {
                kind = Kind.NOT_AVAILABLE;
            } else if (status != null && (status == 401 || status == 403)) {
                kind = Kind.AUTH_FAILED;
            } else if (status != null && status == 404) {
                kind = Kind.NOT_FOUND;
            } else if (status != null && status >= 400 && status < 500) {
                kind = Kind.REFUSED;
            } else {
                kind = Kind.NO_ANSWER;
            }
            return new NumbersApiFailure(kind, status, code, text, cause);
        }

        public Kind kind() {
            return kind;
        }

        public Integer status() {
            return status;
        }

        public Integer code() {
            return code;
        }
    }
}
