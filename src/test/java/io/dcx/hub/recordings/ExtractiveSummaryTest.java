package io.dcx.hub.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtractiveSummaryTest {

    static final String CALL = "Hi, thanks for calling. I am calling about my disability claim. "
            + "The disability claim was denied last month. Um, okay. "
            + "I need a lawyer to appeal the denied disability claim. Can someone call me back tomorrow morning? Bye.";

    @Test
    void keepsTheMostRepresentativeSentencesInTheirOrder() {
        String summary = ExtractiveSummary.of(CALL);
        assertThat(summary).isEqualTo("I am calling about my disability claim. The disability claim was denied last month. "
                + "I need a lawyer to appeal the denied disability claim.");
    }

    @Test
    void isDeterministicAndNeverEmpty() {
        assertThat(ExtractiveSummary.of(CALL)).isEqualTo(ExtractiveSummary.of(CALL));
        assertThat(ExtractiveSummary.of("")).isEqualTo(ExtractiveSummary.NOTHING);
        assertThat(ExtractiveSummary.of(null)).isEqualTo(ExtractiveSummary.NOTHING);
        assertThat(ExtractiveSummary.of("  um  ")).isEqualTo("um");
        assertThat(ExtractiveSummary.of("one two three")).isEqualTo("one two three");
    }

    @Test
    void staysShort() {
        String sentence = "The caller described the accident on the highway in great detail and repeatedly. ";
        assertThat(ExtractiveSummary.of(sentence.repeat(40)).length()).isLessThanOrEqualTo(ExtractiveSummary.MAX_CHARS);
        String oneLong = "word ".repeat(400);
        assertThat(ExtractiveSummary.of(oneLong).length()).isLessThanOrEqualTo(ExtractiveSummary.MAX_CHARS);
    }
}
