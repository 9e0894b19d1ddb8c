package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.security.Callers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code /api/dnc}: add a number (201, or 200 when already listed), check one number, remove one number (204), import
 * a CSV, export the list as CSV or JSON.
 */
@Component
class DncRoutes extends ApiRouteBuilder {

    private static final String CREATED = "DcxDncCreated";
    private final DncService dnc;
    private final ObjectMapper json;

    DncRoutes(DncService dnc, ObjectMapper json) {
        super(json);
        this.dnc = dnc;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("addDncNumber")
                .process(e -> {
                    DncService.Added added = dnc.add(json.readTree(e.getMessage().getBody(String.class)), Callers.name(e));
                    e.getMessage().setHeader(CREATED, added.created());
                    e.getMessage().setBody(added.entry());
                })
                .choice()
                    .when(header(CREATED).isEqualTo(true)).process(reply(201))
                    .otherwise().process(reply(200))
                .end();

        operation("checkDncNumber")
                .process(e -> e.getMessage().setBody(dnc.check(pathNumber(e))))
                .process(reply(200));

        operation("importDncNumbers")
                .process(e -> e.getMessage().setBody(dnc.importCsv(e.getMessage().getBody(String.class), Callers.name(e))))
                .process(reply(200));

        operation("exportDncNumbers")
                .process(e -> {
                    Map<String, String> query = QueryParameters.of(e);
                    Instant since = instant(query.get("since"));
                    var m = e.getMessage();
                    if ("json".equals(query.getOrDefault("format", "csv"))) {
                        m.setBody(Map.of("items", dnc.export(since)));
                        reply(200).process(e);
                        return;
                    }
                    String csv = dnc.exportCsv(since);
                    m.removeHeaders("*");
                    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    m.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
                    m.setHeader("Content-Disposition", "attachment; filename=\"dnc.csv\"");
                    m.setBody(csv);
                });

        operation("removeDncNumber")
                .process(e -> {
                    dnc.remove(pathNumber(e));
                    e.getMessage().setBody(null);
                })
                .process(reply(204));
    }

    /** The {phone_number} path segment, percent-decoded ({@code %2B} is the usual way to send the '+'). */
    private static String pathNumber(Exchange e) {
        String raw = e.getMessage().getHeader("phone_number", String.class);
        try {
            return raw == null ? null : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return raw;
        }
    }


    private static Instant instant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.validation("since", "since must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z");
        }
    }
}
