package io.dcx.hub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop HTTP/1.1 sender for {@link VoiceLoadGenerator}: requests pre-built as raw bytes, non-blocking keep-alive
 * connections, one request in flight per connection (no pipelining). Request {@code i} is due at
 * {@code start + i / rate}; when due it is written on an idle connection (a new one is opened when none is idle, up to
 * a cap) whether or not earlier requests answered. Latency is measured from the scheduled send time to the moment the
 * response is fully received, so neither a stalled server nor a late generator can hide queueing delay.
 *
 * <p>Two threads, both blocked almost all the time: the <em>sender</em> (the caller) sleeps with nanosecond resolution
 * until the next due time and writes the request; the <em>reader</em> blocks in {@link Selector#select} and reads and
 * parses responses, completes connects and partial writes. This costs two thread wake-ups per request and keeps both
 * send and receive times exact. A single selector thread cannot do as well: {@code select} only has millisecond
 * timeouts, so it must either send up to 1 ms late, park before each send (and then read responses late), or be woken
 * by a timer thread (a third wake-up per request). On a virtual machine a wake-up is what a request costs the
 * generator, so their number is what matters.
 *
 * <p>Connection ownership: {@link Conn#state} is {@link #IDLE}, {@link #CLOSED} or the index of the request in flight.
 * Whoever moves a connection from IDLE to a request index (compare-and-set) may send on it; whoever moves it from that
 * index to IDLE or CLOSED records the request's outcome, exactly once. The receive buffer is the reader's alone.
 */
final class OpenLoopSender {

    /**
     * What one run produced. Latencies are of the measured requests that got a response (whatever its status);
     * {@code firstErrorCode} is the HTTP status of the first measured error, -2 for a transport error, -1 for none.
     */
    record Result(long[] latencies, long[] latencyByRequest, int measuredCompleted, int measuredErrors, int firstErrorCode, String firstError,
            int warmupErrors, int unanswered, long[] sendLag, int connectionsOpened, int maxOpen, int retries,
            int noConnection, long start, boolean[] okByRequest) {

        /** {@link System#nanoTime()} at which measured request {@code i} (due order) was answered; -1 if it was not. */
        long answeredAt(int i, int measuredFrom, int rate) {
            long latency = latencyByRequest[i];
            return latency < 0 ? -1 : start + (measuredFrom + i) * 1_000_000_000L / rate + latency;
        }
    }

    /** What counts as a successful answer: the status, and a text the body must contain (null: any body). */
    record Success(int status, String bodyMarker) {
        /** The voice webhook's: 200 with a {@code <Dial>}. */
        static final Success DIAL = new Success(200, "<Dial");
    }

    private static final int DRAIN_SECONDS = 30;
    private static final int IDLE = -1;
    private static final int CLOSED = -2;

    private final InetSocketAddress address;
    private final byte[][] requests;
    private final int rate;
    private final int measuredFrom;
    private final int maxConnections;
    private final Runnable onWindowStart;
    private final Success success;

    private Selector selector;
    private long start;
    private volatile boolean senderDone;
    private Thread reader;
    private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
    private final Queue<Conn> all = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private boolean[] retried; // element i written only by the owner of request i's outcome

    // reader thread only
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Response parsed = new Response();

    // sender thread only
    private long[] sendLag;

    // guarded by this
    private long[] latencies;
    private long[] latencyByRequest; // by measured request index (due order); -1 when unanswered
    private boolean[] okByRequest; // by measured request index: answered as Success says
    private int nLatencies;
    private int done;
    private int measuredDone;
    private int measuredErrors;
    private int warmupErrors;
    private String firstError;
    private int firstErrorCode = -1;
    private int maxOpen;
    private int opened;
    private int retries;
    private int noConnection;

    /**
     * @param onWindowStart run, off the sending and reading threads, when the first measured request is due; used to
     *     snapshot CPU counters
     */
    OpenLoopSender(InetSocketAddress address, byte[][] requests, int rate, int measuredFrom, int maxConnections,
            Runnable onWindowStart) {
        this(address, requests, rate, measuredFrom, maxConnections, onWindowStart, Success.DIAL);
    }

    OpenLoopSender(InetSocketAddress address, byte[][] requests, int rate, int measuredFrom, int maxConnections,
            Runnable onWindowStart, Success success) {
        this.success = success;
        this.address = address;
        this.requests = requests;
        this.rate = rate;
        this.measuredFrom = measuredFrom;
        this.maxConnections = maxConnections;
        this.onWindowStart = onWindowStart;
    }

    private long due(int i) {
        return start + i * 1_000_000_000L / rate;
    }

    private static void parkUntil(long deadline) {
        for (long d; (d = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(d);
        }
    }

    Result run() throws IOException, InterruptedException {
        int total = requests.length;
        latencies = new long[total - measuredFrom];
        latencyByRequest = new long[total - measuredFrom];
        Arrays.fill(latencyByRequest, -1);
        okByRequest = new boolean[total - measuredFrom];
        sendLag = new long[total - measuredFrom];
        retried = new boolean[total];
        selector = Selector.open();
        Response.warmUp(); // compile the parser before the clock starts
        start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long deadline = due(Math.max(0, total - 1)) + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);

        Thread window = new Thread(() -> {
            parkUntil(due(Math.min(measuredFrom, total)));
            onWindowStart.run();
        }, "load-window");
        window.setDaemon(true);
        window.start();
        reader = new Thread(() -> readLoop(total, deadline), "load-reader");
        reader.setDaemon(true);
        reader.start();

        for (int i = 0; i < total; i++) {
            parkUntil(due(i));
            long now = System.nanoTime();
            if (i >= measuredFrom) {
                sendLag[i - measuredFrom] = now - due(i);
            }
            dispatch(i, true);
        }
        senderDone = true;
        selector.wakeup();
        reader.join();
        window.join();
        for (Conn c : all) {
            close(c);
        }
        selector.close();
        synchronized (this) {
            return new Result(Arrays.copyOf(latencies, nLatencies), latencyByRequest.clone(), measuredDone, measuredErrors, firstErrorCode,
                    firstError, warmupErrors, total - done, sendLag, opened, maxOpen, retries, noConnection, start,
                    okByRequest.clone());
        }
    }

    private void readLoop(int total, long deadline) {
        try {
            while (!(senderDone && doneCount() >= total) && System.nanoTime() < deadline) {
                selector.select(this::handle, 1000);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized int doneCount() {
        return done;
    }

    // ------------------------------------------------------------------ sending (sender thread; reader for retries)

    private void dispatch(int i, boolean fromSender) {
        dispatch(i, fromSender, false);
    }

    /** @param fresh on a new connection: the retry of a request whose reused connection the server had closed */
    private void dispatch(int i, boolean fromSender, boolean fresh) {
        Conn c = null;
        while (!fresh && (c = idle.pollLast()) != null && !c.state.compareAndSet(IDLE, i)) {
            // closed by the reader while idle: drop it
        }
        if (c == null) {
            c = connect(i, fromSender);
            if (c == null) {
                return;
            }
            if (c.connecting) {
                return; // the reader writes the request once connected
            }
        } else {
            c.out = ByteBuffer.wrap(requests[i]);
        }
        try {
            c.ch.write(c.out);
            if (c.out.hasRemaining()) { // socket buffer full: the reader writes the rest
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                if (fromSender) {
                    selector.wakeup();
                }
            }
        } catch (IOException | CancelledKeyException e) { // cancelled: the reader closed it meanwhile
            failed(c, i, e instanceof IOException io ? io : new IOException("connection closed", e));
        }
    }

    /** Opens a connection for request {@code i}, which it owns from the start; null when none could be opened. */
    private Conn connect(int i, boolean fromSender) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            synchronized (this) {
                noConnection++;
            }
            finish(i, false, false, "no connection available (" + maxConnections + " open)");
            return null;
        }
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(ch, i);
            c.out = ByteBuffer.wrap(requests[i]);
            c.connecting = !ch.connect(address);
            c.key = ch.register(selector, c.connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ, c);
            if (fromSender) {
                selector.wakeup(); // let the reader pick the new registration up now
            }
            all.add(c);
            synchronized (this) {
                opened++;
                maxOpen = Math.max(maxOpen, open.get());
            }
            return c;
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
            finish(i, false, false, "connect: " + e);
            return null;
        }
    }

    // ------------------------------------------------------------------ reading (reader thread)

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Conn c = (Conn) key.attachment();
        int i = c.state.get();
        try {
            if (key.isConnectable()) {
                if (!c.ch.finishConnect()) {
                    return;
                }
                c.connecting = false;
                c.ch.write(c.out);
                key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                return;
            }
            if (key.isWritable()) {
                c.ch.write(c.out);
                if (!c.out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isReadable()) {
                read(c, i);
            }
        } catch (IOException | CancelledKeyException e) { // cancelled: the sender closed it meanwhile
            failed(c, i, e instanceof IOException io ? io : new IOException("connection closed", e));
        }
    }

    private void read(Conn c, int i) throws IOException {
        boolean eof = false;
        while (true) {
            readBuffer.clear();
            int n = c.ch.read(readBuffer);
            if (n < 0) {
                eof = true;
                break;
            }
            if (n == 0) {
                break;
            }
            readBuffer.flip();
            c.append(readBuffer);
            if (n < readBuffer.capacity()) {
                break;
            }
        }
        if (i < 0) {
            // end of stream (or stray bytes) on an idle connection: the server closed it
            if (c.state.compareAndSet(IDLE, CLOSED)) {
                idle.remove(c);
                close(c);
                return;
            }
            i = c.state.get(); // the sender took it meanwhile: treat what came as that request's
            if (i < 0) {
                return;
            }
        }
        if (eof && c.inLen == 0) {
            failed(c, i, new IOException("connection closed before any response"));
            return;
        }
        int consumed;
        try {
            consumed = parsed.parse(c.in, c.inLen, eof);
        } catch (IllegalStateException e) {
            if (c.state.compareAndSet(i, CLOSED)) {
                close(c);
                finish(i, false, false, "bad response: " + e.getMessage());
            }
            return;
        }
        if (consumed < 0) {
            if (eof && c.state.compareAndSet(i, CLOSED)) {
                close(c);
                finish(i, false, false, "connection closed mid-response");
            }
            return;
        }
        boolean reuse = !eof && parsed.keepAlive && consumed == c.inLen;
        c.inLen = 0;
        c.served++;
        if (!c.state.compareAndSet(i, reuse ? IDLE : CLOSED)) {
            return;
        }
        boolean ok = parsed.status == success.status()
                && (success.bodyMarker() == null || parsed.bodyContains(success.bodyMarker()));
        finish(i, true, ok, ok ? null : "HTTP " + parsed.status + " " + parsed.bodySnippet(200), parsed.status);
        if (reuse) {
            idle.offerLast(c);
        } else {
            close(c); // Connection: close, HTTP/1.0 without keep-alive, end of stream, or bytes beyond the response
        }
    }

    // ------------------------------------------------------------------ outcomes (either thread)

    /** A transport failure of request {@code i} on connection {@code c}. */
    private void failed(Conn c, int i, IOException e) {
        if (i < 0) {
            if (c.state.compareAndSet(IDLE, CLOSED)) {
                idle.remove(c);
                close(c);
            }
            return;
        }
        if (!c.state.compareAndSet(i, CLOSED)) {
            return; // someone else recorded it
        }
        boolean stale = c.served > 0 && c.inLen == 0;
        close(c);
        if (stale && !retried[i]) {
            // a reused keep-alive connection the server had closed (Tomcat closes connections idle for 20 s):
            // nothing of the request was answered, so send it again, as HTTP clients do, on a new connection (the
            // next idle one may be just as stale); its latency still counts from the schedule
            retried[i] = true;
            synchronized (this) {
                retries++;
            }
            dispatch(i, Thread.currentThread() != reader, true);
            return;
        }
        finish(i, false, false, e.toString());
    }

    private void finish(int i, boolean answered, boolean ok, String error) {
        finish(i, answered, ok, error, -2);
    }

    private synchronized void finish(int i, boolean answered, boolean ok, String error, int status) {
        long now = System.nanoTime();
        done++;
        if (i < measuredFrom) {
            if (!ok) {
                warmupErrors++;
            }
            return;
        }
        measuredDone++;
        if (answered) {
            latencies[nLatencies++] = now - due(i);
            latencyByRequest[i - measuredFrom] = now - due(i);
            okByRequest[i - measuredFrom] = ok;
        }
        if (!ok) {
            measuredErrors++;
            if (firstError == null) {
                firstError = error;
                firstErrorCode = answered ? status : -2;
            }
        }
    }

    private void close(Conn c) {
        if (c.closed.compareAndSet(false, true)) {
            open.decrementAndGet();
            try {
                c.ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private static final class Conn {
        final SocketChannel ch;
        final AtomicInteger state;
        final AtomicBoolean closed = new AtomicBoolean();
        SelectionKey key;
        volatile boolean connecting;
        volatile int served;
        ByteBuffer out;
        byte[] in = new byte[1024];
        int inLen;

        Conn(SocketChannel ch, int request) {
            this.ch = ch;
            this.state = new AtomicInteger(request);
        }

        void append(ByteBuffer src) {
            int n = src.remaining();
            if (inLen + n > in.length) {
                in = Arrays.copyOf(in, Math.max(in.length * 2, inLen + n));
            }
            src.get(in, inLen, n);
            inLen += n;
        }
    }

    // ------------------------------------------------------------------ response parsing

    /**
     * An HTTP/1.x response parser over the bytes received so far. {@link #parse} returns -1 while the response is
     * incomplete, otherwise the number of bytes it occupies; it throws {@link IllegalStateException} on malformed
     * input. Handles interim 1xx responses, Content-Length, {@code Transfer-Encoding: chunked} (with extensions and
     * trailers), bodies delimited by the end of the stream, bodiless statuses, {@code Connection: close/keep-alive}
     * and HTTP/1.0 defaults. Bare LF line endings are tolerated.
     */
    static final class Response {
        int status;
        boolean keepAlive;
        private byte[] body = new byte[1024];
        private int bodyLen;

        int parse(byte[] b, int len, boolean eof) {
            int pos = 0;
            while (true) {
                int eol = indexOf(b, pos, len, (byte) '\n');
                if (eol < 0) {
                    return -1;
                }
                String statusLine = line(b, pos, eol);
                if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                    throw new IllegalStateException("status line: " + abbreviate(statusLine));
                }
                boolean http10 = statusLine.charAt(7) == '0';
                try {
                    status = Integer.parseInt(statusLine.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("status line: " + abbreviate(statusLine));
                }
                long contentLength = -1;
                boolean chunked = false;
                boolean close = false;
                boolean keepAliveHeader = false;
                int p = eol + 1;
                while (true) {
                    eol = indexOf(b, p, len, (byte) '\n');
                    if (eol < 0) {
                        return -1;
                    }
                    String header = line(b, p, eol);
                    p = eol + 1;
                    if (header.isEmpty()) {
                        break;
                    }
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalStateException("header: " + abbreviate(header));
                    }
                    String name = header.substring(0, colon).trim();
                    String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    if (name.equalsIgnoreCase("Content-Length")) {
                        try {
                            contentLength = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalStateException("Content-Length: " + value);
                        }
                        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 1024) {
                            throw new IllegalStateException("Content-Length: " + value);
                        }
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = value.endsWith("chunked");
                    } else if (name.equalsIgnoreCase("Connection")) {
                        for (String token : value.split(",")) {
                            close |= token.trim().equals("close");
                            keepAliveHeader |= token.trim().equals("keep-alive");
                        }
                    }
                }
                if (status >= 100 && status < 200 && status != 101) {
                    pos = p; // interim response (100 Continue, 103 Early Hints): the real one follows
                    continue;
                }
                keepAlive = http10 ? keepAliveHeader && !close : !close;
                bodyLen = 0;
                if (status == 204 || status == 304 || status == 101) {
                    return p;
                }
                if (chunked) {
                    return chunkedBody(b, p, len);
                }
                if (contentLength >= 0) {
                    if (len - p < contentLength) {
                        return -1;
                    }
                    appendBody(b, p, (int) contentLength);
                    return p + (int) contentLength;
                }
                if (!eof) {
                    return -1; // body delimited by the end of the connection
                }
                keepAlive = false;
                appendBody(b, p, len - p);
                return len;
            }
        }

        private int chunkedBody(byte[] b, int p, int len) {
            while (true) {
                int eol = indexOf(b, p, len, (byte) '\n');
                if (eol < 0) {
                    return -1;
                }
                String sizeLine = line(b, p, eol);
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
                int size;
                try {
                    size = Integer.parseInt(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("chunk size: " + abbreviate(sizeLine));
                }
                if (size < 0) {
                    throw new IllegalStateException("chunk size: " + abbreviate(sizeLine));
                }
                p = eol + 1;
                if (size == 0) {
                    while (true) { // trailers, up to an empty line
                        eol = indexOf(b, p, len, (byte) '\n');
                        if (eol < 0) {
                            return -1;
                        }
                        boolean empty = line(b, p, eol).isEmpty();
                        p = eol + 1;
                        if (empty) {
                            return p;
                        }
                    }
                }
                if (len - p < (long) size + 1) {
                    return -1;
                }
                appendBody(b, p, size);
                p += size;
                if (b[p] == '\r') {
                    if (len - p < 2) {
                        return -1;
                    }
                    p++;
                }
                if (b[p] != '\n') {
                    throw new IllegalStateException("no CRLF after chunk");
                }
                p++;
            }
        }

        private void appendBody(byte[] b, int from, int n) {
            if (bodyLen + n > body.length) {
                body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLen + n));
            }
            System.arraycopy(b, from, body, bodyLen, n);
            bodyLen += n;
        }

        boolean bodyContains(String ascii) {
            byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = 0; i <= bodyLen - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (body[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        String bodySnippet(int max) {
            return abbreviate(new String(body, 0, Math.min(bodyLen, max), StandardCharsets.UTF_8).replaceAll("\\s+", " "));
        }

        /** Runs the parser enough times for the JIT to compile it, so that it does not happen in the measured window. */
        static void warmUp() {
            byte[] fixed = ("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 19\r\nDate: x\r\n\r\n"
                    + "<Response><Dial/>..").getBytes(StandardCharsets.ISO_8859_1);
            byte[] chunked = ("HTTP/1.1 200 \r\nContent-Type: text/xml;charset=UTF-8\r\nTransfer-Encoding: chunked\r\n"
                    + "Date: x\r\n\r\n11\r\n<Response><Dial/>\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            Response r = new Response();
            int sink = 0;
            for (int i = 0; i < 12_000; i++) {
                byte[] b = i % 2 == 0 ? fixed : chunked;
                sink += r.parse(b, b.length, false) + (r.bodyContains("<Dial") ? 1 : 0);
            }
            if (sink == 42) {
                System.out.print("");
            }
        }

        private static int indexOf(byte[] b, int from, int to, byte x) {
            for (int i = from; i < to; i++) {
                if (b[i] == x) {
                    return i;
                }
            }
            return -1;
        }

        /** The line from {@code from} up to the LF at {@code eol}, without the CR before it. */
        private static String line(byte[] b, int from, int eol) {
            int end = eol > from && b[eol - 1] == '\r' ? eol - 1 : eol;
            return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
        }

        private static String abbreviate(String s) {
            return s.length() <= 200 ? s : s.substring(0, 200) + "...";
        }
    }
}
