package io.dcx.hub.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.config.HubProperties;
import io.dcx.hub.support.TwilioSigner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** protocols.md §1.1: the Twilio SDK's published test vector goes through the hub's verifier. */
class TwilioSignatureVerifierTest {

    private static final Map<String, String> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("CallSid", "CA1234567890ABCDE");
        PARAMS.put("Caller", "+14158675309");
        PARAMS.put("Digits", "1234");
        PARAMS.put("From", "+14158675309");
        PARAMS.put("To", "+18005551212");
    }

    private static TwilioSignatureVerifier verifier(String baseUrl) {
        return new TwilioSignatureVerifier(new HubProperties(baseUrl, null, null, null,
                new HubProperties.Twilio("AC00000000000000000000000000000000", "12345", true)));
    }

    private static TwilioForm form(Map<String, String> params) {
        return TwilioForm.parse(TwilioSigner.formBody(params));
    }

    @Test
    void publishedVectorIsAccepted() {
        TwilioSignatureVerifier v = verifier("https://mycompany.com");
        assertThat(v.isValid("/myapp.php", "foo=1&bar=2", form(PARAMS), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
    }

    @Test
    void bothPortFormsAreAccepted() {
        assertThat(verifier("https://mycompany.com").isValid("/myapp.php", "foo=1&bar=2", form(PARAMS),
                "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
        assertThat(verifier("http://mycompany.com").isValid("/myapp.php", "foo=1&bar=2", form(PARAMS),
                "0ZXoZLH/DfblKGATFgpif+LLRf4=")).isTrue();
    }

    @Test
    void testSignerReproducesThePublishedVector() {
        assertThat(TwilioSigner.sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", PARAMS))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    @Test
    void tamperedParameterOrUrlIsRejected() {
        Map<String, String> tampered = new LinkedHashMap<>(PARAMS);
        tampered.put("Digits", "1235");
        TwilioSignatureVerifier v = verifier("https://mycompany.com");
        assertThat(v.isValid("/myapp.php", "foo=1&bar=2", form(tampered), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(v.isValid("/myapp.php", "foo=1&bar=3", form(PARAMS), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(v.isValid("/myapp.php", "foo=1&bar=2", form(PARAMS), null)).isFalse();
    }

    @Test
    void withoutAnAuthTokenNothingIsAccepted() {
        TwilioSignatureVerifier v = new TwilioSignatureVerifier(new HubProperties("https://mycompany.com", null, null, null,
                new HubProperties.Twilio(null, null, true)));
        assertThat(v.isValid("/myapp.php", "foo=1&bar=2", form(PARAMS), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }
}
