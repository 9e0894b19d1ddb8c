package io.dcx.hub.observability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks phone numbers in log text: an E.164 number ({@code +} and 8–15 digits) or a bare run of 10–15 digits keeps its
 * last two digits ({@code +1917*****67}). Ids (CallSids, UUIDs, public ids) are letters and digits mixed or hex
 * groups shorter than that, so they are left alone. A line without a digit run that long costs one scan.
 */
public final class PhoneMasking {

    private static final Pattern NUMBER = Pattern.compile("(?<![\\w+])(\\+?)(\\d{8,15})(?!\\w)");

    private PhoneMasking() {}

    public static String mask(String text) {
        if (text == null || !hasLongDigitRun(text)) {
            return text;
        }
        Matcher m = NUMBER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String plus = m.group(1);
            String digits = m.group(2);
            if (plus.isEmpty() && digits.length() < 10) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            int keepHead = plus.isEmpty() ? 0 : Math.min(4, digits.length() - 6);
            String masked = plus + digits.substring(0, Math.max(0, keepHead))
                    + "*".repeat(digits.length() - Math.max(0, keepHead) - 2) + digits.substring(digits.length() - 2);
            m.appendReplacement(out, Matcher.quoteReplacement(masked));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean hasLongDigitRun(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++run >= 8) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }
}
