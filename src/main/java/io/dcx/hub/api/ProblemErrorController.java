package io.dcx.hub.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Servlet-level errors (unknown path, wrong method, container failures) answered as problem+json instead of
 * Boot's default error body; no stack trace ever leaves the hub.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus resolved = HttpStatus.resolve(status);
        String problemCode = switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
        String message = switch (status) {
            case 404 -> "No resource at " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            case 405 -> "This method is not allowed on " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            default -> resolved == null ? "Request failed" : resolved.getReasonPhrase();
        };
        return ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(Problems.CONTENT_TYPE))
                .body(Problems.toJson(new ProblemException(status, problemCode, message)));
    }
}
