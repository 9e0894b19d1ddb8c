package io.dcx.hub.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Reading the QA model's answer: a verdict or an error, never a made-up score; the prompt's shape. */
class QaRulesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aVerdictIsReadWithItsScoreSentimentAndReasons() {
        QaRules.Verdict v = QaRules.verdict("{\"score\": 87.456, \"sentiment\": -0.25, \"reasons\": [\"greeted\", \" \", \"solved\"]}", json);
        assertThat(v.score()).isEqualByComparingTo(new BigDecimal("87.46"));
        assertThat(v.sentiment()).isEqualByComparingTo(new BigDecimal("-0.250"));
        assertThat(v.reasons()).containsExactly("greeted", "solved");
    }

    @Test
    void aFencedAnswerAndASingleReasonAreAccepted() {
        QaRules.Verdict v = QaRules.verdict("```json\n{\"score\": 40, \"reasons\": \"too short\"}\n```", json);
        assertThat(v.score()).isEqualByComparingTo("40");
        assertThat(v.sentiment()).isNull();
        assertThat(v.reasons()).containsExactly("too short");
    }

    @Test
    void answersThatAreNotAVerdictAreErrors() {
        assertThatThrownBy(() -> QaRules.verdict("The call was fine, 8/10.", json)).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> QaRules.verdict("[1,2]", json)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> QaRules.verdict("{\"score\": 101}", json)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> QaRules.verdict("{\"score\": \"90\"}", json)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> QaRules.verdict("{\"score\": 90, \"sentiment\": 2}", json))
                .hasMessageContaining("between -1 and 1");
    }

    @Test
    void thePromptCarriesTheRubricAndTheTranscriptCutAtItsLimit() {
        String message = QaRules.userMessage("  Greets the caller.  ", "x".repeat(QaRules.MAX_TRANSCRIPT_CHARS + 10));
        assertThat(message).startsWith("Rubric:\nGreets the caller.\n\nTranscript:\nxxx")
                .endsWith("[transcript cut after " + QaRules.MAX_TRANSCRIPT_CHARS + " characters]");
        assertThat(QaRules.SYSTEM).contains("\"score\"", "\"sentiment\"", "\"reasons\"");
    }
}
