package io.dcx.hub.returns;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReturnRulesTest {

    static final Instant ENDED = Instant.parse("2026-01-01T12:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(90);

    @Test
    void insideTheWindowAfterTheEndIsAllowed() {
        assertThatCode(() -> ReturnRules.check(true, true, ENDED, false, WINDOW, ENDED.plusSeconds(90)))
                .doesNotThrowAnyException();
    }

    @Test
    void lateTwiceUnfinishedOrUnroutedAreProblems() {
        assertThatThrownBy(() -> ReturnRules.check(true, true, ENDED, false, WINDOW, ENDED.plusSeconds(91)))
                .isInstanceOfSatisfying(ProblemException.class, p -> code(p, "RETURN_WINDOW_CLOSED"));
        assertThatThrownBy(() -> ReturnRules.check(true, true, ENDED, true, WINDOW, ENDED))
                .isInstanceOfSatisfying(ProblemException.class, p -> code(p, "ALREADY_RETURNED"));
        assertThatThrownBy(() -> ReturnRules.check(true, false, null, false, WINDOW, ENDED))
                .isInstanceOfSatisfying(ProblemException.class, p -> code(p, "CALL_NOT_ENDED"));
        assertThatThrownBy(() -> ReturnRules.check(false, true, ENDED, false, WINDOW, ENDED))
                .isInstanceOfSatisfying(ProblemException.class, p -> code(p, "NOT_RETURNABLE"));
        assertThatThrownBy(() -> ReturnRules.reason("  ")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> ReturnRules.reason("x".repeat(501))).isInstanceOf(ProblemException.class);
    }

    private static void code(ProblemException p, String code) {
        org.assertj.core.api.Assertions.assertThat(p.code()).isEqualTo(code);
    }
}
