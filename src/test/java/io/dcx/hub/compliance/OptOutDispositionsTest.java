package io.dcx.hub.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptOutDispositionsTest {

    private final OptOutDispositions dispositions = new OptOutDispositions(List.of("DO_NOT_CALL", "opt-out", " "));

    @Test
    void dispositionsAreComparedNormalised() {
        assertThat(dispositions.isOptOut("do not call", null)).isTrue();
        assertThat(dispositions.isOptOut("Do-Not-Call!", null)).isTrue();
        assertThat(dispositions.isOptOut("OPT OUT", null)).isTrue();
        assertThat(dispositions.isOptOut("SALE", null)).isFalse();
        assertThat(dispositions.isOptOut("", null)).isFalse();
        assertThat(OptOutDispositions.normalize("  remove from list ")).isEqualTo("REMOVE_FROM_LIST");
    }

    @Test
    void anExplicitFlagWins() {
        assertThat(dispositions.isOptOut("SALE", true)).isTrue();
        assertThat(dispositions.isOptOut("DO_NOT_CALL", false)).isFalse();
    }
}
