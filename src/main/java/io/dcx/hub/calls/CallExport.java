package io.dcx.hub.calls;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.support.Csv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * {@code GET /api/calls/export} (PRD FR-16): the calls matching the list's filters, oldest first, as CSV (the layout
 * {@code dataformats/call-export.csv.json}), NDJSON (one JSON object a line) or JSON, with the same fields. Each call
 * carries the caller-trust record of the hub's own number on it (REQ-COM-1): the DID dialled for an inbound call, the
 * caller id of an outbound one, with its trust profile and STIR/SHAKEN attestation as configured now.
 * <p>
 * The export is streamed: {@link #open} returns an {@link InputStream} that reads the rows from a database cursor as
 * the response is written, a batch of rows at a time, so memory stays flat and there is no row cap. When the client
 * closes the connection the write fails, the stream is closed and the cursor with it.
 */
@Service
public class CallExport {

    /** The export's columns, in order: the CSV header and the JSON field names. */
    public static final List<String> COLUMNS = Csv.Layout.of("call-export").names();

    public enum Format {
        CSV("text/csv; charset=utf-8", "calls.csv"),
        NDJSON("application/x-ndjson", "calls.ndjson"),
        JSON("application/json", "calls.json");

        public final String contentType;
        public final String fileName;

        Format(String contentType, String fileName) {
            this.contentType = contentType;
            this.fileName = fileName;
        }
    }

    private final CallSessionStore store;
    private final ObjectMapper json;
    private final int fetchSize;

    CallExport(CallSessionStore store, ObjectMapper json, @Value("${dcx.export.fetch-size:2000}") int fetchSize) {
        this.store = store;
        this.json = json;
        this.fetchSize = fetchSize;
    }

    /** The export of the calls matching {@code filters}, read from the database as the returned stream is read. */
    public InputStream open(CallFilters filters, Format format) {
        return new Rows(store.openExport(filters, fetchSize), format, filters);
    }

    /** The rows as bytes: a batch is encoded when the previous one has been read. */
    private final class Rows extends InputStream {
        private static final int BATCH_BYTES = 64 * 1024;

        private final CallSessionStore.ExportCursor cursor;
        private final Format format;
        private final CallFilters filters;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(BATCH_BYTES + 4096);
        private byte[] chunk = new byte[0];
        private int position;
        private long count;
        private boolean started;
        private boolean finished;
        private JsonGenerator generator;

        Rows(CallSessionStore.ExportCursor cursor, Format format, CallFilters filters) {
            this.cursor = cursor;
            this.format = format;
            this.filters = filters;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position >= chunk.length) {
                if (finished) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, into, offset, n);
            position += n;
            return n;
        }

        private void fill() throws IOException {
            buffer.reset();
            try {
                if (!started) {
                    started = true;
                    start();
                }
                while (buffer.size() < BATCH_BYTES) {
                    if (!cursor.next()) {
                        end();
                        finished = true;
                        cursor.close();
                        break;
                    }
                    write(cursor.row(COLUMNS));
                    if (generator != null) {
                        generator.flush();
                    }
                }
            } catch (SQLException e) {
                close();
                throw new IOException("Reading the export from the database failed", e);
            }
            chunk = buffer.toByteArray();
            position = 0;
        }

        private void start() throws IOException {
            switch (format) {
                case CSV -> text(Csv.row(COLUMNS));
                case JSON -> text("{\"from\":" + quoted(filters.from()) + ",\"to\":" + quoted(filters.to()) + ",\"items\":[");
                case NDJSON -> { }
            }
            if (format != Format.CSV) { // one generator for the whole export, writing into the batch buffer
                generator = json.getFactory().createGenerator(buffer);
                generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                generator.setRootValueSeparator(null);
            }
        }

        private void write(Object[] values) throws IOException {
            switch (format) {
                case CSV -> text(Csv.row(java.util.Arrays.asList(values)));
                case NDJSON -> {
                    object(values);
                    generator.writeRaw('\n');
                }
                case JSON -> {
                    if (count > 0) {
                        generator.writeRaw(',');
                    }
                    object(values);
                }
            }
            count++;
        }

        private void endJson() throws IOException {
            if (generator != null) {
                generator.flush();
            }
        }

        private void end() throws IOException {
            endJson();
            if (format == Format.JSON) {
                text("],\"count\":" + count + "}");
            }
        }

        private void object(Object[] values) throws IOException {
            JsonGenerator out = generator;
            out.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                out.writeFieldName(COLUMNS.get(i));
                Object v = values[i];
                if (v == null) {
                    out.writeNull();
                } else if (v instanceof Boolean b) {
                    out.writeBoolean(b);
                } else if (v instanceof Integer n) {
                    out.writeNumber(n);
                } else if (v instanceof Long n) {
                    out.writeNumber(n);
                } else {
                    out.writeString(v.toString());
                }
            }
            out.writeEndObject();
        }

        private void text(String s) {
            buffer.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        private String quoted(Object value) {
            try {
                return json.writeValueAsString(value == null ? null : value.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            finished = true;
            cursor.close();
        }
    }
}
