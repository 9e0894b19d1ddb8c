package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The hub's one CSV reader and writer (commons-csv), RFC 4180 as the import and export layouts use it: comma
 * separated, fields with a comma, quote or line break quoted with {@code "} (a quote doubled inside), CRLF between
 * records on output, CRLF or LF accepted on input, blank lines skipped, an optional UTF-8 byte order mark ignored.
 * <p>
 * Reading a file of a known format goes through its layout, {@code dataformats/<format>.csv.json} (one file per
 * format, packaged on the classpath): {@link #read(java.io.Reader, Layout)} maps the header to the layout's columns
 * and streams {@link Row}s one record at a time, so a file of any size is read in flat memory. Checking the values
 * of a row stays with the capability that owns the format.
 * <p>
 * Writing: text that a spreadsheet would run as a formula (starting with {@code = @ + -} and not a plain number such
 * as an E.164 phone number, or with a tab or carriage return) is written with a leading {@code '} so opening an
 * export cannot execute it.
 */
public final class Csv {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    // quote only what needs it (comma, quote, line break), as the layouts document
    private static final CSVFormat OUTPUT = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.MINIMAL).get();
    private static final ObjectMapper JSON = new ObjectMapper();
    // compiled once: the export writes two phone numbers (+1...) per row
    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Map<String, Layout> LAYOUTS = new java.util.concurrent.ConcurrentHashMap<>();

    private Csv() {}

    /** One column of a layout: its name, whether a file must have it, its type and the other header names it takes. */
    public record Column(String name, boolean required, String type, String field, List<String> aliases) {}

    /**
     * A CSV format as described by its layout file. Header names are matched without case, spaces, underscores or
     * dashes, against the column names and their aliases.
     *
     * @param headerOptional a file whose first cell is a valid value of the first column (only {@code e164} is
     *                       recognised) has no header and is read as that single column
     */
    public record Layout(String name, List<Column> columns, boolean headerOptional) {

        /** The layout {@code dataformats/<name>.csv.json}, read once. */
        public static Layout of(String name) {
            return LAYOUTS.computeIfAbsent(name, Layout::load);
        }

        private static Layout load(String name) {
            String path = "dataformats/" + name + ".csv.json";
            try (InputStream in = Csv.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("No CSV layout " + path + " on the classpath");
                }
                JsonNode layout = JSON.readTree(in);
                List<Column> columns = new ArrayList<>();
                for (JsonNode c : layout.path("columns")) {
                    List<String> aliases = new ArrayList<>();
                    c.path("aliases").forEach(a -> aliases.add(a.asText()));
                    columns.add(new Column(c.path("name").asText(), c.path("required").asBoolean(),
                            c.path("type").asText("text"), c.path("field").asText(c.path("name").asText()),
                            List.copyOf(aliases)));
                }
                if (columns.isEmpty()) {
                    throw new IllegalStateException(path + " declares no columns");
                }
                return new Layout(name, List.copyOf(columns), "optional".equals(layout.path("header").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
        }

        /** Header name → the column it is ("Contact Name" → contact_name); null for a column the layout lacks. */
        public Column column(String header) {
            String key = key(header);
            for (Column c : columns) {
                if (key(c.name()).equals(key) || c.aliases().stream().anyMatch(a -> key(a).equals(key))) {
                    return c;
                }
            }
            return null;
        }

        public List<String> names() {
            return columns.stream().map(Column::name).toList();
        }

        private static String key(String header) {
            return header == null ? "" : header.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        }
    }

    /** A header that does not fit the layout; {@code column} names the column at fault (null: no header at all). */
    public static final class HeaderException extends IllegalArgumentException {
        private final String column;
        private final boolean unknown;

        HeaderException(String column, boolean unknown, String message) {
            super(message);
            this.column = column;
            this.unknown = unknown;
        }

        public String column() {
            return column;
        }

        /** True: the header has a column the layout lacks; false: it misses a required one. */
        public boolean unknown() {
            return unknown;
        }
    }

    /**
     * One data record: its number (1 = the first data record; blank lines are not counted) and its non-blank cells
     * by column name, stripped. A column named twice in the header is read from its first place.
     */
    public record Row(long number, Map<String, String> cells) {
        public String get(String column) {
            return cells.get(column);
        }
    }

    /**
     * Opens {@code in} as a file of {@code layout}: reads the header, refusing one without a required column (and,
     * when {@code refuseUnknown}, one with a column the layout lacks, because every row would be wrong the same way)
     * with a {@link HeaderException}. The rows are then read one at a time; a syntax error surfaces while iterating
     * as an {@link UncheckedIOException} or {@link IllegalStateException}.
     */
    public static Reader read(java.io.Reader in, Layout layout, boolean refuseUnknown) {
        CSVParser parser;
        try {
            PushbackReader unread = new PushbackReader(in);
            int first = unread.read();
            if (first != -1 && first != '\uFEFF') { // a UTF-8 byte order mark is not part of the first cell
                unread.unread(first);
            }
            parser = FORMAT.parse(unread);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new Reader(parser, layout, refuseUnknown);
        } catch (RuntimeException e) {
            closeQuietly(parser);
            throw e;
        }
    }

    /** A file of {@code layout} being read; {@link #isEmpty()} when it has no record at all. */
    public static final class Reader implements Iterator<Row>, Closeable {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final Map<Integer, Column> columns = new LinkedHashMap<>();
        private final boolean empty;
        private CSVRecord pending;
        private long number;

        private Reader(CSVParser parser, Layout layout, boolean refuseUnknown) {
            this.parser = parser;
            this.records = parser.iterator();
            this.empty = !records.hasNext();
            if (empty) {
                return;
            }
            CSVRecord first = records.next();
            String firstCell = first.get(0).strip();
            if (layout.headerOptional() && "e164".equals(layout.columns().get(0).type()) && Validations.isE164(firstCell)) {
                columns.put(0, layout.columns().get(0));
                pending = first;
                return;
            }
            for (int i = 0; i < first.size(); i++) {
                String header = first.get(i);
                Column column = layout.column(header);
                if (column == null) {
                    if (refuseUnknown) {
                        throw new HeaderException(header.strip(), true, "Unknown column " + header.strip()
                                + " in the header; the layout (dataformats/" + layout.name() + ".csv.json) has "
                                + String.join(", ", layout.names()));
                    }
                } else if (!columns.containsValue(column)) {
                    columns.put(i, column);
                }
            }
            for (Column column : layout.columns()) {
                if (column.required() && !columns.containsValue(column)) {
                    throw new HeaderException(column.name(), false, "The CSV header has no " + column.name()
                            + " column (columns: " + String.join(", ", layout.names()) + ")");
                }
            }
        }

        public boolean isEmpty() {
            return empty;
        }

        @Override
        public boolean hasNext() {
            return pending != null || records.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            CSVRecord record = pending != null ? pending : records.next();
            pending = null;
            Map<String, String> cells = new LinkedHashMap<>();
            columns.forEach((index, column) -> {
                if (index < record.size()) {
                    String cell = record.get(index);
                    if (cell != null && !cell.isBlank()) {
                        cells.put(column.name(), cell.strip());
                    }
                }
            });
            return new Row(++number, Collections.unmodifiableMap(cells));
        }

        @Override
        public void close() {
            closeQuietly(parser);
        }
    }

    private static void closeQuietly(CSVParser parser) {
        try {
            parser.close();
        } catch (IOException e) {
            // nothing was written: a failed close of a reader loses nothing
        }
    }

    /** The records of a CSV document, each a list of fields; blank lines are skipped. */
    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        if (text == null) {
            return records;
        }
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (CSVParser parser = FORMAT.parse(new StringReader(s))) {
            for (CSVRecord record : parser) {
                records.add(record.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** One output record, CRLF-terminated. Null fields are empty. */
    public static String row(List<?> fields) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, OUTPUT)) {
            printer.printRecord(fields.stream().map(Csv::defused).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }

    private static String defused(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        return isFormula(s) ? "'" + s : s;
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
            return !PLAIN_NUMBER.matcher(s).region(1, s.length()).matches();
        }
        return false;
    }
}
