package io.dcx.hub.messaging;

import static io.dcx.hub.messaging.OptOutKeywords.Intent.HELP;
import static io.dcx.hub.messaging.OptOutKeywords.Intent.NONE;
import static io.dcx.hub.messaging.OptOutKeywords.Intent.START;
import static io.dcx.hub.messaging.OptOutKeywords.Intent.STOP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OptOutKeywordsTest {

    @Test
    void stopFamilyWhateverTheCaseOrTrailingPunctuation() {
        for (String word : new String[] {"STOP", "stop", " Stop. ", "unsubscribe", "END", "quit", "STOPALL", "revoke", "OptOut", "cancel!"}) {
            assertThat(OptOutKeywords.classify(word, null)).as(word).isEqualTo(STOP);
        }
    }

    @Test
    void startAndHelpFamilies() {
        assertThat(OptOutKeywords.classify("start", null)).isEqualTo(START);
        assertThat(OptOutKeywords.classify("YES", null)).isEqualTo(START);
        assertThat(OptOutKeywords.classify("unstop", null)).isEqualTo(START);
        assertThat(OptOutKeywords.classify("help", null)).isEqualTo(HELP);
        assertThat(OptOutKeywords.classify("Info", null)).isEqualTo(HELP);
    }

    @Test
    void sentencesAreNotKeywords() {
        assertThat(OptOutKeywords.classify("please stop calling me at work", null)).isEqualTo(NONE);
        assertThat(OptOutKeywords.classify("", null)).isEqualTo(NONE);
        assertThat(OptOutKeywords.classify(null, null)).isEqualTo(NONE);
    }

    @Test
    void advancedOptOutTypeWins() {
        assertThat(OptOutKeywords.classify("arrêtez", "STOP")).isEqualTo(STOP);
        assertThat(OptOutKeywords.classify("stop", "START")).isEqualTo(START);
        assertThat(OptOutKeywords.classify("help", "bogus")).isEqualTo(HELP);
    }
}
