package io.dcx.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub's signer against the published test vector, and its signatures checked by the reference library. */
class WebhookSignerTest {

    @Test
    void standardWebhooksTestVectorPassesThroughTheHubsSigner() {
        // protocols.md §4.1 (Standard Webhooks csharp WebhookTest.cs)
        String signature = WebhookSigner.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void referenceLibraryVerifiesTheHubsSignature() throws Exception {
        String secret = WebhookSigner.newSecret();
        assertThat(secret).startsWith("whsec_");
        String id = "3f1b6c2e-8a51-4c55-9d1c-2b8f8f0e7a10";
        long ts = Instant.now().getEpochSecond();
        String body = "{\"event\":\"CONVERSION_RECORDED\",\"note\":\"é ünïcode\"}";
        String header = WebhookSigner.signatureHeader(id, ts, body.getBytes(StandardCharsets.UTF_8), List.of(secret));

        Map<String, List<String>> headers = Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(header));
        assertThatCode(() -> new Webhook(secret).verify(body, headers)).doesNotThrowAnyException();
        assertThat(header).isEqualTo(new Webhook(secret).sign(id, ts, body));
        // a changed body fails
        assertThatThrownBy(() -> new Webhook(secret).verify(body + " ", headers))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringRotationBothSecretsVerify() {
        String oldSecret = WebhookSigner.newSecret();
        String newSecret = WebhookSigner.newSecret();
        String id = "msg_rotation";
        long ts = Instant.now().getEpochSecond();
        String body = "{}";
        String header = WebhookSigner.signatureHeader(id, ts, body.getBytes(StandardCharsets.UTF_8), List.of(newSecret, oldSecret));
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        Map<String, List<String>> headers = Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(header));
        assertThatCode(() -> new Webhook(oldSecret).verify(body, headers)).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(newSecret).verify(body, headers)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Webhook(WebhookSigner.newSecret()).verify(body, headers))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void traceparentCarriesTheEventsTraceId() {
        String tp = WebhookAttempts.traceparent("0af76519-16cd-43dd-8448-eb211c80319c");
        assertThat(tp).matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01");
        assertThat(WebhookAttempts.traceparent(null)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }
}
