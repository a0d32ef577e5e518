package dev.chainrule;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what no HTTP client will send: a malformed request line, a header of 100 KB, a
 * bad Content-Length, a body that trickles. Reads the answer until the server closes the connection or the answer
 * is complete (by its Content-Length or last chunk).
 */
public final class RawHttp {

    /** A status line, headers (lower-cased names in {@code head}) and body as text. */
    public record Answer(int status, String head, String body) {
        public String header(String name) {
            return RawHttp.header(head, name);
        }
    }

    /** The value of header {@code name} (any case) in an answer's {@code head}, or null. */
    public static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private RawHttp() {
    }

    public static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Sends {@code request} as it is and reads one answer. */
    public static Answer exchange(int port, byte[] request) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    public static Answer exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads one answer from {@code in} (status line, headers, body by length or chunks, or to the close). */
    public static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int headEnd = -1;
        byte[] buffer = new byte[8192];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            all.write(buffer, 0, n);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0) {
                headEnd = text.indexOf("\r\n\r\n");
                // an interim 100 Continue is an answer of its own: report it as such
            }
            if (headEnd >= 0 && complete(text, headEnd)) {
                break;
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Answer(-1, text, "");
        }
        String head = text.substring(0, end);
        String body = text.substring(end + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        return new Answer(status, head, body);
    }

    private static boolean complete(String text, int headEnd) {
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        if (head.startsWith("http/1.1 100")) {
            return true;
        }
        int cl = head.indexOf("content-length:");
        if (cl >= 0) {
            int eol = head.indexOf("\r\n", cl);
            long length = Long.parseLong(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
            return text.getBytes(StandardCharsets.ISO_8859_1).length - headEnd - 4 >= length;
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            // sizes count bytes; the bodies here are ASCII or short UTF-8, read as bytes to be exact
            byte[] rest = chunked.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
            String piece = new String(rest, 0, Math.min(size, rest.length), StandardCharsets.UTF_8);
            out.append(piece);
            at = eol + 2 + piece.length() + 2;
        }
        return out.toString();
    }
}
