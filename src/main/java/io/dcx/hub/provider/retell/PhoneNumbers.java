package io.dcx.hub.provider.retell;

import java.util.regex.Pattern;

/** Masks anything that looks like a phone number in provider text before it is logged or stored. */
final class PhoneNumbers {

    private static final Pattern NUMBER = Pattern.compile("\\+?\\d[\\d\\s().-]{6,}\\d");

    private PhoneNumbers() {}

    static String mask(String text) {
        return text == null ? null : NUMBER.matcher(text).replaceAll("[number]");
    }
}
