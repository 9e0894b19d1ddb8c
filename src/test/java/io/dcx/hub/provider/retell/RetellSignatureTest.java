package io.dcx.hub.provider.retell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetellSignatureTest {

    private static final byte[] SAMPLE = "{\"event\":\"call_started\",\"call\":{\"call_id\":\"abc\"}}".getBytes(StandardCharsets.UTF_8);
    private static final long TS = 1703302407333L;
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    @Test
    void matchesThePublishedSample() {
        // protocols.md §2.2 (recomputed independently with a plain HMAC)
        assertThat(RetellSignature.sign(SAMPLE, "key_test", TS))
                .isEqualTo("v=1703302407333,d=11a9c7a9a1a9d459f9e5da185c6133c341220d6c7df984ef3f4c9ac6ae845a4e");
        assertThat(RetellSignature.verify(SAMPLE, "v=1703302407333,d=11a9c7a9a1a9d459f9e5da185c6133c341220d6c7df984ef3f4c9ac6ae845a4e",
                "key_test", Instant.ofEpochMilli(TS), FIVE_MIN)).isEqualTo(RetellSignature.Result.VALID);
    }

    @Test
    void rejectsChangedBodiesWrongKeysAndStaleOrFutureTimestamps() {
        String header = RetellSignature.sign(SAMPLE, "key_test", TS);
        byte[] changed = SAMPLE.clone();
        changed[5] ^= 1;
        Instant now = Instant.ofEpochMilli(TS);
        assertThat(RetellSignature.verify(changed, header, "key_test", now, FIVE_MIN)).isEqualTo(RetellSignature.Result.MISMATCH);
        assertThat(RetellSignature.verify(SAMPLE, header, "other", now, FIVE_MIN)).isEqualTo(RetellSignature.Result.MISMATCH);
        assertThat(RetellSignature.verify(SAMPLE, header, "key_test", now.plus(Duration.ofMinutes(6)), FIVE_MIN))
                .isEqualTo(RetellSignature.Result.STALE);
        assertThat(RetellSignature.verify(SAMPLE, header, "key_test", now.minus(Duration.ofMinutes(6)), FIVE_MIN))
                .isEqualTo(RetellSignature.Result.STALE);
        assertThat(RetellSignature.verify(SAMPLE, header, "key_test", now.plus(Duration.ofMinutes(5)), FIVE_MIN))
                .isEqualTo(RetellSignature.Result.VALID);
        assertThat(RetellSignature.verify(SAMPLE, null, "key_test", now, FIVE_MIN)).isEqualTo(RetellSignature.Result.MISSING);
        assertThat(RetellSignature.verify(SAMPLE, "v=1,d=zz", "key_test", now, FIVE_MIN)).isEqualTo(RetellSignature.Result.MALFORMED);
        assertThat(RetellSignature.verify(SAMPLE, header.toUpperCase().replace("V=", "v=").replace(",D=", ",d="), "key_test",
                now, FIVE_MIN)).isEqualTo(RetellSignature.Result.VALID); // hex case does not matter
    }

    @Test
    void signsTheRawBytesNotADecodedString() {
        byte[] utf8 = "{\"t\":\"José 東京 💬\"}".getBytes(StandardCharsets.UTF_8);
        byte[] reencoded = new String(utf8, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8); // a Reader gone wrong
        String header = RetellSignature.sign(utf8, "k", TS);
        Instant now = Instant.ofEpochMilli(TS);
        assertThat(RetellSignature.verify(utf8, header, "k", now, FIVE_MIN)).isEqualTo(RetellSignature.Result.VALID);
        assertThat(RetellSignature.verify(reencoded, header, "k", now, FIVE_MIN)).isEqualTo(RetellSignature.Result.MISMATCH);
    }
}
