package io.dcx.hub.dataformats;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Csv;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads lead files laid out as {@code dataformats/lead-import.csv.json} with the hub's CSV reader ({@link Csv}), the
 * layout {@code POST /api/leads/import} reads too, except that a column the layout lacks refuses the file here.
 * {@link #rows(String)} checks the header and splits the file into rows; {@link #lead(Row)} turns one row into a lead
 * body for {@code direct:dcx.leads.ingest}. YAML routes reach the bean as {@code leadImportCsv}.
 */
@Component
public class LeadImportCsv {

    private final Csv.Layout layout = Csv.Layout.of("lead-import");

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

    public Map<String, Csv.Column> columns() {
        Map<String, Csv.Column> columns = new LinkedHashMap<>();
        layout.columns().forEach(c -> columns.put(c.name(), c));
        return columns;
    }

    /**
     * The file's rows. A header with an unknown column or without a required one refuses the whole file
     * (400 problem naming the column), because every row would be wrong the same way.
     */
    public List<Row> rows(String csv) {
        try (Csv.Reader reader = Csv.read(new StringReader(csv == null ? "" : csv), layout, true)) {
            List<Row> rows = new ArrayList<>();
            while (reader.hasNext()) {
                Csv.Row row = reader.next();
                if (!row.cells().isEmpty()) {
                    rows.add(new Row(row.number() + 1, row.cells())); // the header is line 1
                }
            }
            return rows;
        } catch (Csv.HeaderException e) {
            throw ProblemException.validation(e.column(), e.unknown() ? e.getMessage()
                    : "The header has no column " + e.column());
        } catch (UncheckedIOException | IllegalStateException e) {
            throw ProblemException.validation(null, "The file is not readable as CSV: " + e.getMessage());
        }
    }

    /** The row as a lead (lead.schema.json field names); a cell that cannot be converted is a 400 naming the column. */
    public Map<String, Object> lead(Row row) {
        Map<String, Object> lead = new LinkedHashMap<>();
        for (Map.Entry<String, String> cell : row.getCells().entrySet()) {
            Csv.Column column = layout.column(cell.getKey());
            lead.put(column.field(), convert(row, column, cell.getValue()));
        }
        for (Csv.Column column : layout.columns()) {
            if (column.required() && !lead.containsKey(column.field())) {
                throw ProblemException.validation(column.name(), "Line " + row.getLine() + ": " + column.name() + " is empty");
            }
        }
        return lead;
    }

    private static Object convert(Row row, Csv.Column column, String value) {
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
