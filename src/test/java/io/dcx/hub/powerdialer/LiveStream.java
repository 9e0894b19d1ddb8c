package io.dcx.hub.powerdialer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client of a campaign's live stream (Server-Sent Events) collecting every event it receives. */
final class LiveStream implements AutoCloseable {

    record Event(String name, JsonNode data) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final int status;
    /** The error answer (problem+json) when the stream was refused. */
    final String error;
    private final HttpURLConnection connection;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    LiveStream(String url, String bearer) throws IOException {
        connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + bearer);
        connection.setRequestProperty("Accept", "text/event-stream");
        connection.setReadTimeout(0);
        status = connection.getResponseCode();
        if (status != 200) {
            error = connection.getErrorStream() == null ? ""
                    : new String(connection.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return;
        }
        error = null;
        Thread reader = new Thread(this::read, "live-stream-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Event(name, JSON.readTree(data.toString())));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** Events about one leg, by name. */
    List<String> ofLeg(String legId) {
        return events.stream().filter(e -> legId.equals(e.data().path("leg_id").asText(null))).map(Event::name).toList();
    }

    /**
     * Leaves the stream. Disconnecting waits for the reader, which waits for the next event, so it is done on a
     * thread of its own; the server notices when it next writes to the stream.
     */
    @Override
    public void close() {
        Thread closer = new Thread(connection::disconnect, "live-stream-close");
        closer.setDaemon(true);
        closer.start();
    }
}
