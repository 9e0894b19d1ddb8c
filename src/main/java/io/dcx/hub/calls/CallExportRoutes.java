package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/calls/export?from=&to=&format=csv|json}: every call's numbers, buyers and revenue, so ADMIN only.
 * Checked here as well as in the security chain: the operation also answers spellings of its path (a trailing slash)
 * that a path rule may not name.
 */
@Component
class CallExportRoutes extends ApiRouteBuilder {

    private final CallExport export;

    CallExportRoutes(CallExport export, ObjectMapper json) {
        super(json);
        this.export = export;
    }

    @Override
    public void configure() {
        operation("exportCalls")
                .process(e -> {
                    if (!Caller.of(e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class)).isAdmin()) {
                        throw ProblemException.forbidden();
                    }
                    Map<String, String> query = QueryParameters.of(e);
                    Instant from = instant("from", query.get("from"));
                    Instant to = instant("to", query.get("to"));
                    List<Map<String, Object>> rows = export.rows(from, to);
                    var m = e.getMessage();
                    if ("json".equals(query.getOrDefault("format", "csv"))) {
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("from", from.toString());
                        out.put("to", to.toString());
                        out.put("count", rows.size());
                        out.put("items", rows);
                        m.setBody(out);
                        reply(200).process(e);
                        return;
                    }
                    m.removeHeaders("*");
                    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    m.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
                    m.setHeader("Content-Disposition", "attachment; filename=\"calls.csv\"");
                    m.setBody(export.csv(rows));
                });
    }

    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.validation(field, field + " must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z");
        }
    }
}
