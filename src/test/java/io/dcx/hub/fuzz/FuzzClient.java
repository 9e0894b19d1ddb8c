package io.dcx.hub.fuzz;

import io.dcx.hub.support.HubTestBase;
import io.dcx.hub.support.RetellStandIn;
import io.dcx.hub.support.TwilioSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Raw-byte requests and the providers' signatures (Twilio, Retell, Vapi, cron) for the fuzz and bad-bytes tests. */
abstract class FuzzClient extends HubTestBase {

    static final String TWILIO_TOKEN = "test-twilio-auth-token";
    static final String PUBLIC_BASE = "https://hub.test";
    static final String VAPI_SECRET = "test-vapi-webhook-secret";
    static final String CRON_SECRET = "test-cron-secret";

    /** Any method, path, body bytes and headers (name, value pairs); no credentials added. */
    Reply raw(String method, String pathAndQuery, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
            }
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return execute(b.build());
    }

    Reply json(String method, String pathAndQuery, byte[] body, String contentType, String token) {
        return raw(method, pathAndQuery, body, "Content-Type", contentType,
                "Authorization", token == null ? null : "Bearer " + token);
    }

    /** A Twilio webhook: the form as sent, signed over the parameters as Twilio would (or with the given signature). */
    Reply twilio(String pathAndQuery, Map<String, String> params, boolean signed) {
        String signature = signed ? TwilioSigner.sign(TWILIO_TOKEN, PUBLIC_BASE + pathAndQuery, params) : "bm90LWEtc2lnbmF0dXJl";
        return raw("POST", pathAndQuery, TwilioSigner.formBody(params).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", signature);
    }

    /** A Retell webhook signed now with the hub's key (or a wrong one). */
    Reply retell(byte[] body, String contentType, boolean signed) {
        return raw("POST", "/retell/webhook", body, "Content-Type", contentType,
                "x-retell-signature", retellSignature(body, signed ? RetellStandIn.API_KEY : "key_wrong", System.currentTimeMillis()));
    }

    static String retellSignature(byte[] body, String key, long timestampMs) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body);
            mac.update(Long.toString(timestampMs).getBytes(StandardCharsets.UTF_8));
            return "v=" + timestampMs + ",d=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String callSid() {
        return "CA" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    static Map<String, String> inbound(String callSid, String from, String to) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", from);
        p.put("To", to);
        p.put("Caller", from);
        p.put("Called", to);
        return p;
    }
}
