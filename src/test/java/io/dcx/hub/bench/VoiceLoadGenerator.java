package io.dcx.hub.bench;

import com.sun.management.OperatingSystemMXBean;
import io.dcx.hub.support.TwilioSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Load generator for the voice webhook (docs/benchmarks.md). Not a test: run it by hand against a running hub.
 *
 * <ul>
 *   <li>{@code seed} — creates a campaign with buyers, offers and DIDs through the admin API; writes the DIDs to a file.
 *   <li>{@code run} — posts validly signed Twilio voice webhooks at a fixed arrival rate (open loop: a request is
 *       sent on schedule whether or not earlier ones answered) and reports p50/p95/p99/max time-to-TwiML, measured
 *       from each request's scheduled send time, and errors. Every request is signed and serialised before the clock
 *       starts and sent over non-blocking keep-alive connections ({@link OpenLoopSender}), so that the generator, which
 *       shares the machine with the server under test, stays cheap. It reports its own CPU per measured request and,
 *       with {@code --pids [name=]pid,...} and {@code --watch-postgres true}, that of other processes over the measured
 *       window (from /proc, in 10 ms ticks). Other option: {@code --max-connections} (2000).
 *   <li>{@code static-server} — an HTTP server that answers every POST with one fixed TwiML document: the baseline.
 * </ul>
 */
public final class VoiceLoadGenerator {

    private static final String STATIC_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial action=\"https://hub/x\""
            + " timeout=\"20\"><Number>+15550001111</Number></Dial></Response>";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        switch (args.length == 0 ? "" : args[0]) {
            case "seed" -> seed(o);
            case "run" -> run(o);
            case "static-server" -> staticServer(Integer.parseInt(o.getOrDefault("port", "8099")));
            default -> {
                System.err.println("usage: seed|run|static-server --key value ... (see docs/benchmarks.md)");
                System.exit(2);
            }
        }
    }

    // ------------------------------------------------------------------ seed

    private static void seed(Map<String, String> o) throws Exception {
        String hub = o.getOrDefault("hub", "http://localhost:8080");
        HttpClient http = HttpClient.newHttpClient();
        String token = field(call(http, hub, "/api/auth/token", null, "{\"username\":\"" + o.getOrDefault("admin-user", "admin")
                + "\",\"password\":\"" + o.get("admin-password") + "\"}"), "access_token");
        String campaign = field(call(http, hub, "/api/campaigns", token,
                "{\"name\":\"Load test\",\"vertical\":\"SSDI\",\"max_ring_seconds\":60}"), "id");
        int buyers = Integer.parseInt(o.getOrDefault("buyers", "20"));
        // 16 buyers share priority 1 (weights 1-5), the rest are fallbacks; no call of the run ends (no status
        // callbacks), so each buyer's concurrency slots must outlast the run: with one buyer it takes every call
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "100000"));
        for (int i = 0; i < buyers; i++) {
            String buyer = field(call(http, hub, "/api/buyers", token, "{\"name\":\"Load buyer " + i
                    + "\",\"endpoint_value\":\"+1555" + String.format("%07d", 1_000_000 + i) + "\",\"concurrency_limit\":" + concurrency + "}"), "id");
            call(http, hub, "/api/offers", token, "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                    + "\",\"payout_cents\":2500,\"priority\":" + (1 + i / 16) + ",\"weight\":" + (1 + i % 5) + "}");
        }
        int dids = Integer.parseInt(o.getOrDefault("dids", "50"));
        // --did-offset: a seed into a database seeded before (KEEP_DB) takes numbers the earlier seed did not
        int didOffset = Integer.parseInt(o.getOrDefault("did-offset", "0"));
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < dids; i++) {
            String e164 = "+1646" + String.format("%07d", 2_000_000 + didOffset + i);
            call(http, hub, "/api/numbers", token, "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                    + "\",\"e164\":\"" + e164 + "\",\"campaign_id\":\"" + campaign + "\"}");
            numbers.add(e164);
        }
        Files.writeString(Path.of(o.getOrDefault("dids-file", "target/bench-dids.txt")), String.join("\n", numbers));
        System.out.println("seeded campaign " + campaign + " with " + buyers + " buyers and " + dids + " DIDs");
    }

    private static String call(HttpClient http, String hub, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    // ------------------------------------------------------------------ run

    private static void run(Map<String, String> o) throws Exception {
        String url = o.getOrDefault("url", "http://localhost:8080/twilio/voice");
        String publicUrl = o.getOrDefault("public-url", "http://localhost:8080/twilio/voice");
        String authToken = o.getOrDefault("auth-token", System.getenv().getOrDefault("TWILIO_AUTH_TOKEN", ""));
        int rate = Integer.parseInt(o.getOrDefault("rate", "500"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "60"));
        int maxConnections = Integer.parseInt(o.getOrDefault("max-connections", "2000"));
        List<String> dids = Files.readAllLines(Path.of(o.getOrDefault("dids-file", "target/bench-dids.txt"))).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String label = o.getOrDefault("label", url);
        List<CpuGroup> watched = watchedGroups(o);

        URI uri = URI.create(url);
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host[:port]/path, not " + url);
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        InetSocketAddress address = new InetSocketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + host);
        }
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String head = "POST " + target + " HTTP/1.1\r\nHost: " + host + (uri.getPort() < 0 ? "" : ":" + port)
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: keep-alive\r\nX-Twilio-Signature: ";

        // every request signed and serialised before the clock starts: sending is then a write of ready bytes
        int total = rate * (warmup + duration);
        int measuredFrom = rate * warmup;
        byte[][] requests = new byte[total][];
        long prepareStart = System.nanoTime();
        IntStream.range(0, total).parallel().forEach(i -> {
            Map<String, String> params = params(dids.get(i % dids.size()), i);
            byte[] body = TwilioSigner.formBody(params).getBytes(StandardCharsets.UTF_8);
            byte[] headers = (head + TwilioSigner.sign(authToken, publicUrl, params) + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(headers, headers.length + body.length);
            System.arraycopy(body, 0, request, headers.length, body.length);
            requests[i] = request;
        });
        System.err.printf("%s: %d signed requests prepared in %.1f s%n", label, total, (System.nanoTime() - prepareStart) / 1e9);

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] windowStart = new long[2]; // wall ns, own CPU ns: written by the sender's window thread, read after it ends
        List<Map<Long, Long>> watchedStart = new ArrayList<>();
        watched.forEach(CpuGroup::sample); // load the code paths before the clock starts
        System.gc(); // the garbage of signing, now rather than in the measured window
        OpenLoopSender sender = new OpenLoopSender(address, requests, rate, measuredFrom, maxConnections, () -> {
            watched.forEach(g -> watchedStart.add(g.sample()));
            windowStart[1] = os.getProcessCpuTime();
            windowStart[0] = System.nanoTime();
        });
        long epochNanosMinusNanoTime = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        OpenLoopSender.Result r = sender.run();
        long windowWall = System.nanoTime() - windowStart[0];
        long windowCpu = os.getProcessCpuTime() - windowStart[1];
        List<Map<Long, Long>> watchedEnd = watched.stream().map(CpuGroup::sample).toList();

        long[] sorted = r.latencies();
        Arrays.sort(sorted);
        int n = sorted.length;
        int measuredRequests = total - measuredFrom;
        System.out.printf("%s: rate %d/s, warm-up %d s, measured %d s: %d requests, %d errors (first: %d), unanswered %d%s%n",
                label, rate, warmup, duration, r.measuredCompleted(), r.measuredErrors(), r.firstErrorCode(), r.unanswered(),
                r.firstError() == null ? "" : ", first error: " + r.firstError());
        System.out.printf("%s: time-to-TwiML ms  p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", label,
                ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 0.999), n == 0 ? 0 : sorted[n - 1] / 1e6);
        if (Boolean.parseBoolean(o.getOrDefault("timeline", "false"))) {
            timeline(label, r.latencyByRequest(), rate);
        }
        if (o.containsKey("latency-file")) {
            writeLatencies(Path.of(o.get("latency-file")), r, measuredFrom, rate, epochNanosMinusNanoTime);
        }
        long[] lag = r.sendLag();
        Arrays.sort(lag);
        System.out.printf("%s: generator CPU %.3f ms/request (%.1f%% of a core over %.1f s); send lag ms p50 %.3f p99 %.3f"
                        + " max %.3f; connections opened %d (max open %d), retried %d, no connection %d, warm-up errors %d%n",
                label, perRequest(windowCpu / 1e6, measuredRequests), 100.0 * windowCpu / Math.max(1, windowWall),
                windowWall / 1e9, ms(lag, 0.50), ms(lag, 0.99), lag.length == 0 ? 0 : lag[lag.length - 1] / 1e6,
                r.connectionsOpened(), r.maxOpen(), r.retries(), r.noConnection(), r.warmupErrors());
        for (int g = 0; g < watched.size(); g++) {
            Map<Long, Long> before = watchedStart.get(g);
            Map<Long, Long> after = watchedEnd.get(g);
            long ticks = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L); // a process started in the window counts whole
            }
            double cpuMs = ticks * 1000.0 / CLOCK_TICKS;
            System.out.printf("%s: CPU of %s %.3f ms/request (%.1f%% of a core; %d processes at start, %d at end)%n", label,
                    watched.get(g).name(), perRequest(cpuMs, measuredRequests), cpuMs * 1e8 / Math.max(1, windowWall),
                    before.size(), after.size());
        }
        System.exit(0);
    }

    /**
     * One line per measured request: when it was due (epoch microseconds) and its time-to-TwiML in microseconds (-1
     * unanswered), so that requests sent while something else ran (a report: scripts/report-overlap.py) can be told
     * from the rest of the same run.
     */
    private static void writeLatencies(Path file, OpenLoopSender.Result r, int measuredFrom, int rate, long epochOffset)
            throws java.io.IOException {
        long[] byRequest = r.latencyByRequest();
        StringBuilder out = new StringBuilder(byRequest.length * 24);
        for (int i = 0; i < byRequest.length; i++) {
            long due = r.start() + (measuredFrom + (long) i) * 1_000_000_000L / rate + epochOffset;
            out.append(due / 1000).append(' ').append(byRequest[i] < 0 ? -1 : byRequest[i] / 1000).append('\n');
        }
        Files.writeString(file, out);
    }

    /** Per second of the measured window: requests over 10 ms, p99 and max, to tell a steady tail from stalls. */
    private static void timeline(String label, long[] byRequest, int rate) {
        for (int from = 0; from < byRequest.length; from += rate) {
            long[] second = Arrays.stream(byRequest, from, Math.min(byRequest.length, from + rate)).filter(l -> l >= 0).sorted().toArray();
            long over = Arrays.stream(second).filter(l -> l > 10_000_000).count();
            System.out.printf("%s: second %3d  over 10 ms %4d  p99 %6.2f  max %6.2f%n", label, from / rate, over,
                    ms(second, 0.99), second.length == 0 ? 0 : second[second.length - 1] / 1e6);
        }
    }

    private static double perRequest(double ms, int requests) {
        return requests == 0 ? 0 : ms / requests;
    }

    // ------------------------------------------------------------------ CPU of other processes

    /** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on Linux for x86 and arm). */
    private static final int CLOCK_TICKS = 100;

    /** A set of processes whose CPU is reported; {@link #sample} gives utime+stime ticks by pid. */
    private record CpuGroup(String name, Supplier<List<Long>> pids) {
        Map<Long, Long> sample() {
            Map<Long, Long> ticks = new HashMap<>();
            for (long pid : pids.get()) {
                long t = procTicks(pid);
                if (t >= 0) {
                    ticks.put(pid, t);
                }
            }
            return ticks;
        }
    }

    /** {@code --pids 123,456} or {@code --pids hub=123,worker=456} (alias {@code --watch-pids}), {@code --watch-postgres true}. */
    private static List<CpuGroup> watchedGroups(Map<String, String> o) {
        List<CpuGroup> groups = new ArrayList<>();
        String pids = o.getOrDefault("pids", o.get("watch-pids"));
        if (pids != null && !pids.isBlank()) {
            for (String entry : pids.split(",")) {
                String[] kv = entry.trim().split("=", 2);
                long pid = Long.parseLong(kv[kv.length - 1].trim());
                if (procTicks(pid) < 0) {
                    throw new IllegalArgumentException("no process " + pid);
                }
                groups.add(new CpuGroup(kv.length == 2 ? kv[0].trim() + " (pid " + pid + ")" : "pid " + pid, () -> List.of(pid)));
            }
        }
        if (Boolean.parseBoolean(o.getOrDefault("watch-postgres", "false"))) {
            groups.add(new CpuGroup("postgres", () -> processesNamed("postgres")));
        }
        return groups;
    }

    private static long procTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) state ppid ... : comm may hold spaces and parentheses, so split after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<Long> processesNamed(String comm) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path dir : proc) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    try {
                        if (Files.readString(dir.resolve("comm")).trim().equals(comm)) {
                            pids.add(Long.parseLong(name));
                        }
                    } catch (IOException e) {
                        // exited meanwhile
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private static Map<String, String> params(String did, int i) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", "+1305" + String.format("%07d", i % 10_000_000));
        p.put("To", did);
        p.put("FromState", "FL");
        return p;
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    // ------------------------------------------------------------------ baseline

    /**
     * One thread, one selector, keep-alive: reads each request (headers and a Content-Length body) and answers it with
     * the same pre-serialised response in a single write, so that the baseline costs next to nothing and its answer
     * arrives in one TCP segment. Only what the generator sends is supported (no chunked request bodies).
     */
    private static void staticServer(int port) throws IOException {
        byte[] body = STATIC_TWIML.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] response = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, response, head.length, body.length);
        byte[] bad = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        System.out.println("static TwiML server on 127.0.0.1:" + port);
        while (true) {
            selector.select(key -> {
                try {
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = listener.accept()) != null) {
                            ch.configureBlocking(false);
                            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            ch.register(selector, SelectionKey.OP_READ, new StaticConnection());
                        }
                        return;
                    }
                    SocketChannel ch = (SocketChannel) key.channel();
                    StaticConnection c = (StaticConnection) key.attachment();
                    if (key.isWritable()) {
                        ch.write(c.pending);
                        if (c.pending.hasRemaining()) {
                            return;
                        }
                        c.pending = null;
                        key.interestOps(SelectionKey.OP_READ);
                        if (c.closeAfterWrite) {
                            ch.close();
                            return;
                        }
                    }
                    if (!key.isReadable()) {
                        return;
                    }
                    readBuffer.clear();
                    if (ch.read(readBuffer) < 0) {
                        ch.close();
                        return;
                    }
                    readBuffer.flip();
                    c.append(readBuffer);
                    ByteArrayOutputStream out = null;
                    int requestEnd;
                    while ((requestEnd = c.requestEnd()) != 0) {
                        if (out == null) {
                            out = new ByteArrayOutputStream(response.length);
                        }
                        if (requestEnd < 0) {
                            out.write(bad);
                            c.closeAfterWrite = true;
                            c.len = 0;
                            break;
                        }
                        out.write(response);
                        c.consume(requestEnd);
                        if (c.closeAfterWrite) {
                            break;
                        }
                    }
                    if (out != null) {
                        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
                        ch.write(b);
                        if (b.hasRemaining()) {
                            c.pending = b;
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (c.closeAfterWrite) {
                            ch.close();
                        }
                    }
                } catch (IOException e) {
                    key.cancel();
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                }
            });
        }
    }

    /** Bytes received on one static-server connection. */
    private static final class StaticConnection {
        byte[] buf = new byte[2048];
        int len;
        ByteBuffer pending;
        boolean closeAfterWrite;

        void append(ByteBuffer src) {
            int n = src.remaining();
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(2 * buf.length, len + n));
            }
            src.get(buf, len, n);
            len += n;
        }

        void consume(int n) {
            System.arraycopy(buf, n, buf, 0, len - n);
            len -= n;
        }

        /** End of the first complete request in the buffer, 0 while incomplete, -1 if it cannot be served. */
        int requestEnd() {
            for (int i = 3; i < len; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    long contentLength = 0;
                    for (String line : new String(buf, 0, i - 3, StandardCharsets.ISO_8859_1).split("\r\n")) {
                        int colon = line.indexOf(':');
                        String name = colon < 0 ? "" : line.substring(0, colon).trim();
                        String value = colon < 0 ? "" : line.substring(colon + 1).trim();
                        if (name.equalsIgnoreCase("Content-Length")) {
                            try {
                                contentLength = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                return -1;
                            }
                        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                            return -1;
                        } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                            closeAfterWrite = true;
                        }
                    }
                    long end = i + 1 + contentLength;
                    return end > len ? 0 : (int) end;
                }
            }
            return len > 64 * 1024 ? -1 : 0;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }
}
