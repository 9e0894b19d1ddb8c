package io.dcx.hub.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for an OpenAI-compatible API (JDK HTTP server on 127.0.0.1):
 * {@code POST /v1/audio/transcriptions} (multipart with {@code file} and {@code model}; answers {@code {"text": …}}) and
 * {@code POST /v1/chat/completions} (answers one choice). The "speech" in a test recording is plain text after the
 * marker {@code SPEECH:}, so each test decides its transcript through the media it serves. Chat requests of the QA
 * scorer get a JSON verdict (score from {@code SCORE:nn} in the transcript, else 75), the finalize summary a JSON
 * summary with two action items, others a plain summary; {@link #answerChatsWith} scripts the next answers.
 */
public final class OpenAiStandIn {

    public static final String SPEECH = "SPEECH:";
    public static final String SUMMARY_PREFIX = "LLM summary: ";
    private static OpenAiStandIn shared;

    /** One transcription request: its multipart body as text (the audio is text in tests). */
    public record Transcription(String body, String authorization) {}

    private final HttpServer server;
    private final List<Transcription> transcriptions = new CopyOnWriteArrayList<>();
    private final List<String> chats = new CopyOnWriteArrayList<>();
    private final java.util.Queue<String> chatAnswers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Words of the QA and the summary system prompts: such requests get a JSON verdict or summary by default. */
    static final String QA_MARKER = "review the quality";
    static final String SUMMARY_MARKER = "You summarise recorded phone calls";

    public static synchronized OpenAiStandIn shared() {
        if (shared == null) {
            try {
                shared = new OpenAiStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public OpenAiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/audio/transcriptions", this::transcribe);
        server.createContext("/v1/chat/completions", this::chat);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "openai-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Base URL as the OpenAI SDKs take it (with /v1). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Transcription> transcriptions() {
        return transcriptions;
    }

    public List<String> chats() {
        return chats;
    }

    private void transcribe(HttpExchange exchange) throws IOException {
        try (exchange) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            transcriptions.add(new Transcription(body, exchange.getRequestHeaders().getFirst("Authorization")));
            if (contentType == null || !contentType.startsWith("multipart/form-data")
                    || !body.contains("name=\"file\"") || !body.contains("name=\"model\"")) {
                send(exchange, 400, "{\"error\":{\"message\":\"file and model are required\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            int at = body.indexOf(SPEECH);
            String text = "";
            if (at >= 0) {
                int end = body.indexOf("\r\n--", at);
                text = body.substring(at + SPEECH.length(), end < 0 ? body.length() : end).strip();
            }
            send(exchange, 200, "{\"text\":" + quote(text) + "}");
        }
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            chats.add(body);
            String scripted = chatAnswers.poll();
            String content;
            if (scripted != null) {
                content = scripted;
            } else if (body.contains(QA_MARKER)) {
                // a QA request (io.dcx.hub.quality): a verdict as JSON, the score from the transcript's "SCORE:nn"
                int at = body.indexOf("SCORE:");
                String score = at < 0 ? "75" : body.substring(at + 6).replaceAll("^([0-9]+).*$", "$1");
                content = "{\"score\": " + score + ", \"sentiment\": 0.5, \"reasons\": [\"greeted the caller\", "
                        + "\"answered the question\"]}";
            } else if (body.contains(SUMMARY_MARKER)) {
                content = "{\"summary\": \"" + SUMMARY_PREFIX + "the callee agreed to a demo.\", "
                        + "\"action_items\": [\"send the demo invite\", \"call back on Monday\"]}";
            } else {
                content = SUMMARY_PREFIX + "the caller asked about a claim.";
            }
            send(exchange, 200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":" + quote(content) + "},"
                    + "\"finish_reason\":\"stop\"}]}");
        }
    }

    /** The next chat completions answer these contents (one per request) instead of the defaults. */
    public void answerChatsWith(String... contents) {
        chatAnswers.addAll(List.of(contents));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
