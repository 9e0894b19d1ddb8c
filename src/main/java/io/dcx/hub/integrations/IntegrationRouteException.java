package io.dcx.hub.integrations;

/** A YAML route file the hub cannot load: names the file and, when known, the line. */
public class IntegrationRouteException extends RuntimeException {

    private final String file;
    private final Integer line;

    public IntegrationRouteException(String file, Integer line, String problem, Throwable cause) {
        super("Integration route file " + file + (line == null ? "" : ", line " + line) + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public Integer line() {
        return line;
    }
}
