package io.dcx.hub.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.provider.twilio.TwilioNumbers.Kind;
import io.dcx.hub.provider.twilio.TwilioNumbers.NumbersApiFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Twilio failures as problems, and the search query's checks. */
class TwilioProblemsTest {

    @Test
    void eachKindOfFailureHasItsAnswer() {
        assertThat(problem(Kind.NOT_AVAILABLE)).extracting(ProblemException::status, ProblemException::code)
                .containsExactly(409, "NUMBER_NOT_AVAILABLE");
        ProblemException auth = problem(Kind.AUTH_FAILED);
        assertThat(auth.status()).isEqualTo(502);
        assertThat(auth.code()).isEqualTo("TWILIO_AUTH_FAILED");
        assertThat(auth.getMessage()).contains("TWILIO_AUTH_TOKEN");
        assertThat(problem(Kind.REFUSED).status()).isEqualTo(422);
        assertThat(problem(Kind.NOT_FOUND).status()).isEqualTo(404);
        assertThat(problem(Kind.NO_ANSWER).code()).isEqualTo("TWILIO_UNAVAILABLE");
    }

    @Test
    void theSearchQueryIsCheckedAndDefaulted() {
        var s = AvailableNumbers.search(Map.of("area_code", "415", "in_region", "ca"));
        assertThat(s.country()).isEqualTo("US");
        assertThat(s.type()).isEqualTo("local");
        assertThat(s.areaCode()).isEqualTo(415);
        assertThat(s.inRegion()).isEqualTo("CA");
        assertThat(s.limit()).isEqualTo(20);
        assertThatThrownBy(() -> AvailableNumbers.search(Map.of("limit", "51"))).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> AvailableNumbers.search(Map.of("area_code", "41"))).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> AvailableNumbers.search(Map.of("country", "USA"))).isInstanceOf(ProblemException.class);
    }

    private static ProblemException problem(Kind kind) {
        return TwilioProblems.of(new NumbersApiFailure(kind, 400, 21422, "Twilio answered", null));
    }
}
