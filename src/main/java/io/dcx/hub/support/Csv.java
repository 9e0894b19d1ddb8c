package io.dcx.hub.support;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, as the hub's import and export layouts use it ({@code dataformats/*.csv-layout.md}): comma separated,
 * fields with a comma, quote or line break quoted with {@code "} (a quote doubled inside), CRLF between records on
 * output, CRLF or LF accepted on input, an optional UTF-8 byte order mark ignored. Text that a spreadsheet would run
 * as a formula (starting with {@code = @ + -} and not a plain number such as an E.164 phone number, or with a tab or
 * carriage return) is written with a leading {@code '} so opening an export cannot execute it.
 */
public final class Csv {

    private Csv() {}

    /** The records of a CSV document, each a list of fields; blank lines are skipped. */
    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        if (text == null) {
            return records;
        }
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                end(records, record, field, fieldStarted);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        end(records, record, field, fieldStarted);
        return records;
    }

    private static void end(List<List<String>> records, List<String> record, StringBuilder field, boolean fieldStarted) {
        if (!fieldStarted && record.isEmpty()) {
            return; // blank line
        }
        record.add(field.toString());
        records.add(record);
    }

    /** One output record, CRLF-terminated. Null fields are empty. */
    public static String row(List<?> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        return out.append("\r\n").toString();
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        if (isFormula(s)) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static boolean isFormula(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        if (first == '=' || first == '@' || first == '\t' || first == '\r') {
            return true;
        }
        if (first == '+' || first == '-') {
            return !s.substring(1).matches("[0-9]+(\\.[0-9]+)?");
        }
        return false;
    }
}
