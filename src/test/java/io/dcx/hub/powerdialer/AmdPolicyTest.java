package io.dcx.hub.powerdialer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.powerdialer.AmdPolicy.Action;
import io.dcx.hub.powerdialer.AmdPolicy.MachineAction;
import io.dcx.hub.powerdialer.AmdPolicy.UnknownAction;
import org.junit.jupiter.api.Test;

class AmdPolicyTest {

    @Test
    void humansConnectMachinesAndFaxesHangUp() {
        AmdPolicy p = new AmdPolicy(UnknownAction.CONNECT, MachineAction.HANGUP);
        assertThat(p.decide("human")).isEqualTo(Action.CONNECT);
        assertThat(p.decide("machine_start")).isEqualTo(Action.HANG_UP);
        assertThat(p.decide("machine_end_beep")).isEqualTo(Action.HANG_UP);
        assertThat(p.decide("fax")).isEqualTo(Action.HANG_UP);
        assertThat(p.machineDetection()).isEqualTo("Enable");
    }

    @Test
    void unknownFollowsThePolicy() {
        assertThat(new AmdPolicy(UnknownAction.CONNECT, MachineAction.HANGUP).decide("unknown")).isEqualTo(Action.CONNECT);
        assertThat(new AmdPolicy(UnknownAction.HANGUP, MachineAction.HANGUP).decide("unknown")).isEqualTo(Action.HANG_UP);
        assertThat(new AmdPolicy(UnknownAction.HANGUP, MachineAction.HANGUP).decide(null)).isEqualTo(Action.HANG_UP);
        // a value Twilio may add later is treated as unknown
        assertThat(new AmdPolicy(UnknownAction.CONNECT, MachineAction.HANGUP).decide("robot")).isEqualTo(Action.CONNECT);
    }

    @Test
    void voicemailIsLeftAfterTheGreetingEnds() {
        AmdPolicy p = new AmdPolicy(UnknownAction.CONNECT, MachineAction.VOICEMAIL);
        assertThat(p.machineDetection()).isEqualTo("DetectMessageEnd");
        assertThat(p.decide("machine_end_beep")).isEqualTo(Action.VOICEMAIL);
        assertThat(p.decide("machine_end_silence")).isEqualTo(Action.VOICEMAIL);
        assertThat(p.decide("machine_end_other")).isEqualTo(Action.VOICEMAIL);
        assertThat(p.decide("machine_start")).isEqualTo(Action.HANG_UP);
        assertThat(p.decide("fax")).isEqualTo(Action.HANG_UP);
        assertThat(p.decide("HUMAN")).isEqualTo(Action.CONNECT);
    }

    @Test
    void apiSpellings() {
        assertThat(AmdPolicy.unknownOf(null)).isEqualTo(UnknownAction.CONNECT);
        assertThat(AmdPolicy.unknownOf("hang_up")).isEqualTo(UnknownAction.HANGUP);
        assertThat(AmdPolicy.machineOf(null)).isEqualTo(MachineAction.HANGUP);
        assertThat(AmdPolicy.machineOf("voicemail")).isEqualTo(MachineAction.VOICEMAIL);
    }
}
