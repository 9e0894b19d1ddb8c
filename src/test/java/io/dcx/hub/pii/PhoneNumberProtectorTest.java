package io.dcx.hub.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PhoneNumberProtectorTest {

    private final PhoneNumberProtector protector = new PhoneNumberProtector("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void encryptsWithAFreshIvAndOpensAgain() {
        byte[] a = protector.encrypt("+15551234567");
        byte[] b = protector.encrypt("+15551234567");
        assertThat(a).isNotEqualTo(b);
        assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain("5551234567");
        assertThat(protector.decrypt(a)).isEqualTo("+15551234567");
        assertThat(protector.decrypt(null)).isNull();
    }

    @Test
    void theHashIsStableKeyedAndSeparateFromTheCipherKey() {
        assertThat(protector.hash("+15551234567")).isEqualTo(protector.hash("+15551234567")).hasSize(64);
        PhoneNumberProtector other = new PhoneNumberProtector("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertThat(other.hash("+15551234567")).isNotEqualTo(protector.hash("+15551234567"));
    }

    @Test
    void anAlteredValueOrAnotherKeyIsRefused() {
        byte[] sealed = protector.encrypt("+15551234567");
        byte[] altered = Arrays.copyOf(sealed, sealed.length);
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> protector.decrypt(altered)).isInstanceOf(IllegalArgumentException.class);
        PhoneNumberProtector other = new PhoneNumberProtector("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> other.decrypt(sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PhoneNumberProtector(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyIsRequiredOutsideDev() {
        assertThatThrownBy(() -> PiiConfig.resolveKey("", false, java.nio.file.Path.of("unused")))
                .hasMessageContaining("DCX_PII_ENCRYPTION_KEY is not set");
        assertThatThrownBy(() -> PiiConfig.resolveKey("c2hvcnQ=", false, java.nio.file.Path.of("unused")))
                .hasMessageContaining("32 bytes");
    }
}
