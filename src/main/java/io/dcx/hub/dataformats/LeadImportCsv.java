package io.dcx.hub.dataformats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Reads lead files laid out as {@code dataformats/lead-import.csv.json} (the layout file is read at start-up, so
 * the columns live in one place). {@link #rows(String)} checks the header and splits the file into rows;
 * {@link #lead(Row)} turns one row into a lead body for {@code direct:dcx.leads.ingest}. YAML routes reach the bean
 * as {@code leadImportCsv}.
 */
@Component
public class LeadImportCsv {

    static final String LAYOUT = "dataformats/lead-import.csv.json";
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true).get();

    private final Map<String, Column> columns = new LinkedHashMap<>();

    /** One column of the layout. */
    public record Column(String name, boolean required, String type, String field) {}

    /** One data row: its line in the file (1 = the header) and its non-empty cells by column name. */
    public static final class Row {
        private final long line;
        private final Map<String, String> cells;

        public Row(long line, Map<String, String> cells) {
            this.line = line;
            this.cells = cells;
        }

        public long getLine() {
            return line;
        }

        public Map<String, String> getCells() {
            return cells;
        }

        @Override
        public String toString() {
            return "line " + line + " " + cells;
        }
    }

    public LeadImportCsv(ObjectMapper json) {
        try (InputStream in = new ClassPathResource(LAYOUT).getInputStream()) {
            for (JsonNode c : json.readTree(in).path("columns")) {
                Column column = new Column(c.path("name").asText(), c.path("required").asBoolean(),
                        c.path("type").asText("text"), c.path("field").asText(c.path("name").asText()));
                columns.put(column.name(), column);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LAYOUT, e);
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException(LAYOUT + " declares no columns");
        }
    }

    public Map<String, Column> columns() {
        return columns;
    }

    /**
     * The file's rows. A header with an unknown column or without a required one refuses the whole file
     * (400 problem naming the column), because every row would be wrong the same way.
     */
    public List<Row> rows(String csv) {
        String text = csv == null ? "" : csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
        try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            for (String name : header) {
                if (!columns.containsKey(name)) {
                    throw ProblemException.validation(name, "Unknown column " + name + " in the header; the layout ("
                            + LAYOUT + ") has " + String.join(", ", columns.keySet()));
                }
            }
            for (Column column : columns.values()) {
                if (column.required() && !header.contains(column.name())) {
                    throw ProblemException.validation(column.name(), "The header has no column " + column.name());
                }
            }
            List<Row> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                Map<String, String> cells = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < record.size(); i++) {
                    String value = record.get(i);
                    if (value != null && !value.isEmpty()) {
                        cells.put(header.get(i), value);
                    }
                }
                if (!cells.isEmpty()) {
                    // the header is line 1 (a quoted cell spanning lines shifts this: it counts records)
                    rows.add(new Row(record.getRecordNumber() + 1, cells));
                }
            }
            return rows;
        } catch (IOException | UncheckedIOException e) {
            throw ProblemException.validation(null, "The file is not readable as CSV: " + e.getMessage());
        }
    }

    /** The row as a lead (lead.schema.json field names); a cell that cannot be converted is a 400 naming the column. */
    public Map<String, Object> lead(Row row) {
        Map<String, Object> lead = new LinkedHashMap<>();
        for (Map.Entry<String, String> cell : row.getCells().entrySet()) {
            Column column = columns.get(cell.getKey());
            lead.put(column.field(), convert(row, column, cell.getValue()));
        }
        for (Column column : columns.values()) {
            if (column.required() && !lead.containsKey(column.field())) {
                throw ProblemException.validation(column.name(), "Line " + row.getLine() + ": " + column.name() + " is empty");
            }
        }
        return lead;
    }

    private static Object convert(Row row, Column column, String value) {
        if ("boolean".equals(column.type())) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "1" -> Boolean.TRUE;
                case "false", "no", "n", "0" -> Boolean.FALSE;
                default -> throw ProblemException.validation(column.name(), "Line " + row.getLine() + ": "
                        + column.name() + " must be true/false, yes/no or 1/0, not " + value);
            };
        }
        return value;
    }
}
