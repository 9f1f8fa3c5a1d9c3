package dev.readyroom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A WebSocket upgrade written by hand on a plain socket, for what a real client cannot do: send any
 * Origin (empty, {@code null}, malformed), read the refusal's headers, or never read again.
 */
public final class RawUpgrade {
    private RawUpgrade() {
    }

    /** The status line's code and the headers of an answer. */
    public record Answer(int status, String headers) {
        public String header(String name) {
            return headers.lines().filter(line -> line.toLowerCase().startsWith(name.toLowerCase() + ":"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(null);
        }
    }

    /** Asks to upgrade {@code path} with {@code headers} besides the handshake's own; the socket is closed after. */
    public static Answer answer(URI base, String path, Map<String, String> headers) throws IOException {
        try (Socket socket = connect(base, 0)) {
            return send(socket, base, path, headers);
        }
    }

    /** An upgraded socket on {@code path}, with a receive window of {@code receiveBufferBytes} (0: the default). */
    public static Socket open(URI base, String path, int receiveBufferBytes) throws IOException {
        Socket socket = connect(base, receiveBufferBytes);
        Answer answer = send(socket, base, path, Map.of());
        if (answer.status() != 101) {
            socket.close();
            throw new IllegalStateException("Upgrade refused: " + answer.headers());
        }
        return socket;
    }

    private static Socket connect(URI base, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static Answer send(Socket socket, URI base, String path, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(base.getPort())
                .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        String answer = readHeaders(socket.getInputStream());
        return new Answer(Integer.parseInt(answer.substring(9, 12)), answer);
    }

    /** An HTTP answer's status line and headers, read a byte at a time up to the blank line. */
    public static String readHeaders(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            headers.append((char) b);
        }
        return headers.toString();
    }
}
