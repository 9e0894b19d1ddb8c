package io.dcx.hub.messaging;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of SMS opt-outs ({@code sms_opt_outs}, and the DNC entries that came from SMS). */
@Component
class SmsOptOutStore {

    private final JdbcTemplate jdbc;

    SmsOptOutStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void optOut(String phoneNumber, String keyword) {
        jdbc.update("""
                INSERT INTO sms_opt_outs (phone_number, source, keyword) VALUES (?, 'STOP', ?)
                ON CONFLICT (phone_number) DO UPDATE SET opted_out_at = now(), source = 'STOP', keyword = excluded.keyword""",
                phoneNumber, keyword);
    }

    /** Removes the opt-out and a DNC entry that came from SMS (only that one). */
    void optIn(String phoneNumber) {
        jdbc.update("DELETE FROM sms_opt_outs WHERE phone_number = ?", phoneNumber);
        jdbc.update("DELETE FROM dnc_numbers WHERE phone_number = ? AND source = 'SMS_STOP'", phoneNumber);
    }

    boolean isOptedOut(String phoneNumber) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM sms_opt_outs WHERE phone_number = ?)", Boolean.class, phoneNumber));
    }
}
