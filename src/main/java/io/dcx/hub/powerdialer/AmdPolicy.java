package io.dcx.hub.powerdialer;

import java.util.Locale;
import java.util.Set;

/**
 * What to do with an answered leg when Twilio's asynchronous answering-machine detection reports ({@code AnsweredBy}):
 * a human is connected to the agent; a machine is hung up, or gets the campaign's voicemail message once its
 * greeting ended ({@code machine_end_*}, reported with {@code MachineDetection=DetectMessageEnd}); a fax is hung up;
 * {@code unknown} follows the campaign's policy. Plain Java, no I/O.
 */
record AmdPolicy(UnknownAction unknown, MachineAction machine) {

    static final Set<String> KNOWN = Set.of("human", "machine_start", "machine_end_beep", "machine_end_silence",
            "machine_end_other", "fax", "unknown");

    enum UnknownAction { CONNECT, HANGUP }

    enum MachineAction { HANGUP, VOICEMAIL }

    enum Action { CONNECT, HANG_UP, VOICEMAIL }

    Action decide(String answeredBy) {
        String a = answeredBy == null ? "unknown" : answeredBy.trim().toLowerCase(Locale.ROOT);
        if (a.equals("human")) {
            return Action.CONNECT;
        }
        if (a.startsWith("machine_end_")) {
            return machine == MachineAction.VOICEMAIL ? Action.VOICEMAIL : Action.HANG_UP;
        }
        if (a.startsWith("machine") || a.equals("fax")) {
            return Action.HANG_UP;
        }
        // unknown, or a value Twilio adds later
        return unknown == UnknownAction.CONNECT ? Action.CONNECT : Action.HANG_UP;
    }

    /** The detection mode a campaign needs: the end of the greeting only matters when a message is left. */
    String machineDetection() {
        return machine == MachineAction.VOICEMAIL ? "DetectMessageEnd" : "Enable";
    }

    /** The API's spelling ({@code connect}, {@code hang_up}, {@code voicemail}) of the stored values. */
    static UnknownAction unknownOf(String api) {
        return switch (api == null ? "connect" : api) {
            case "connect" -> UnknownAction.CONNECT;
            case "hang_up" -> UnknownAction.HANGUP;
            default -> throw new IllegalArgumentException(api);
        };
    }

    static MachineAction machineOf(String api) {
        return switch (api == null ? "hang_up" : api) {
            case "hang_up" -> MachineAction.HANGUP;
            case "voicemail" -> MachineAction.VOICEMAIL;
            default -> throw new IllegalArgumentException(api);
        };
    }
}
