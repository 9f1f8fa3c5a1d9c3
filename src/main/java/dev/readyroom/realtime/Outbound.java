package dev.readyroom.realtime;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The frames going out on one room socket.
 *
 * <p>They are written straight to the Netty channel beneath the WebSockets Next connection, the
 * way Vert.x writes them and in the same order as Vert.x's own writes. WebSockets Next's
 * {@code sendText} wraps every write in a Mutiny {@code Uni} subscribed with context propagation,
 * and Vert.x's {@code writeTextMessage} encodes the text again for every member, takes the
 * connection's lock and makes a promise per frame: together more CPU than the write itself when
 * one event goes out to every member of a room (docs/benchmarks.md). Where the channel cannot be
 * reached (another Quarkus or Vert.x version), frames go through Vert.x's socket, or through
 * {@code sendText}.
 *
 * <p>A client that stops reading gets its frames queued in this server's memory. Once its write
 * queue has stayed full for longer than {@code slowReaderLimit}, its connection is dropped: the
 * client reconnects, resumes and catches up from the store.
 *
 * <p>While a command of this connection runs on its event loop, the socket is {@link #cork corked}:
 * the command's event and its ack leave in one system call instead of two (on loopback a write is
 * most of a delivery's cost). That needs Vert.x's count of writes queued from other threads, so a
 * corked frame never overtakes one; where it cannot be read, every frame is flushed as it goes.
 */
final class Outbound {
    private static final Logger LOG = Logger.getLogger(Outbound.class);
    private static final int CLOSE_GOING_AWAY = 1001;
    /** Vert.x's default largest frame: longer text goes through Vert.x, which splits it. */
    private static final int MAX_DIRECT_FRAME_BYTES = 65_536;
    private static final Method WEB_SOCKET = webSocketAccessor();
    private static final Field WRAPPED_SOCKET = wrappedSocketField();
    private static final Field WRITES_IN_PROGRESS = writesInProgressField();

    private final WebSocketConnection connection;
    private final WebSocketBase socket;
    private final long slowReaderLimitNanos;
    private final Counter slowReadersClosed;
    /** Vert.x's handler on the TCP channel, and its count of writes handed over from other threads. */
    private final ChannelHandlerContext channelContext;
    private final AtomicInteger writesInProgress;
    /** Completes writes without a listener; a failed write (the channel closed) is not reported. */
    private final ChannelPromise silentPromise;
    /** Only read and written on the channel's event loop. */
    private boolean corked;

    /** Whether the channel carries an {@link OutboundLimit}, which then bounds the queue instead of {@link #tooSlow}. */
    private final boolean limited;

    /** When the write queue was first seen full, or 0 while it is not. */
    private volatile long fullSince;
    private volatile boolean closing;

    private Outbound(WebSocketConnection connection, WebSocketBase socket, Duration slowReaderLimit,
            long outboundLimitBytes, Counter slowReadersClosed) {
        this.connection = connection;
        this.socket = socket;
        this.slowReaderLimitNanos = slowReaderLimit.toNanos();
        this.slowReadersClosed = slowReadersClosed;
        Channel channel = socket == null ? null : channelOf(socket);
        this.limited = channel != null && OutboundLimit.install(channel, outboundLimitBytes, slowReaderLimitNanos,
                () -> {
                    closing = true;
                    slowReadersClosed.increment();
                });
        ConnectionBase tcp = socket == null ? null : tcpOf(socket);
        AtomicInteger writes = tcp == null ? null : writesInProgressOf(tcp);
        this.channelContext = writes == null ? null : tcp.channelHandlerContext();
        this.writesInProgress = writes;
        this.silentPromise = writes == null ? null : new VoidChannelPromise(channelContext.channel(), false);
    }

    /**
     * The frames of {@code connection}: what is queued for it is bounded by {@code outboundLimitBytes}
     * (see {@link OutboundLimit}), and a client that leaves its queue full for {@code slowReaderLimit}
     * is cut off.
     */
    static Outbound of(WebSocketConnection connection, Duration slowReaderLimit, long outboundLimitBytes,
            Counter slowReadersClosed) {
        return new Outbound(connection, socketOf(connection), slowReaderLimit, outboundLimitBytes, slowReadersClosed);
    }

    /** Which way frames leave, fastest first: each later one is a fallback for another Quarkus or Vert.x. */
    enum Path {
        /** Straight to the Netty channel, corked while a command runs. */
        DIRECT,
        /** Through Vert.x's socket: the channel or its count of queued writes was not reachable. */
        VERTX_SOCKET,
        /** Through WebSockets Next's {@code sendText}: the Vert.x socket was not reachable. */
        SEND_TEXT
    }

    /** The way this connection's frames take (a test asserts DIRECT, so an upgrade cannot fall back unseen). */
    Path path() {
        if (socket == null) {
            return Path.SEND_TEXT;
        }
        return channelContext == null ? Path.VERTX_SOCKET : Path.DIRECT;
    }

    /** Whether {@link #cork} can hold frames back, which needs the channel and Vert.x's count of queued writes. */
    boolean corkable() {
        return channelContext != null && writesInProgress != null;
    }

    /** Whether what is queued for this client is bounded in bytes on its channel ({@link OutboundLimit}). */
    boolean limited() {
        return limited;
    }

    /** Whether a slow reader is dropped at the TCP connection, not with a close frame queued behind its backlog. */
    /** The TCP channel under this connection, or null when Vert.x does not let it be reached. */
    Channel channel() {
        return socket == null ? null : channelOf(socket);
    }

    boolean dropsAtTcp() {
        return socket != null && channelOf(socket) != null;
    }

    /** Starts the write at once, so frames written one after another leave in that order. */
    void send(String text) {
        send(EncodedText.of(text));
    }

    /**
     * Like {@link #send(String)}, for text that goes out to many members: its UTF-8 bytes are made
     * once and shared by every member's frame.
     */
    void send(EncodedText text) {
        if (closing) {
            return;
        }
        if (socket == null) {
            connection.sendText(text.text()).subscribe().with(ignored -> {
            }, failure -> LOG.debugf("Not sent: %s", failure.getMessage()));
            return;
        }
        if (!limited && tooSlow()) {
            slowReadersClosed.increment();
            LOG.infof("Dropping connection %s: it has not read its frames for %d ms", connection.id(),
                    (System.nanoTime() - fullSince) / 1_000_000);
            cutOff();
            return;
        }
        byte[] utf8 = text.utf8();
        if (channelContext == null || utf8.length > MAX_DIRECT_FRAME_BYTES) {
            // Vert.x splits a long message into frames; it queues behind the writes below in order.
            // A failed write means the socket is closing; its close handler cleans up.
            socket.writeTextMessage(text.text());
            return;
        }
        write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
    }

    /**
     * Writes a frame the way Vert.x's {@code ConnectionBase.writeToChannel} does, sharing its count
     * of writes queued from other threads so that frames written either way keep their order: at
     * once on the channel's event loop, otherwise (or behind queued writes) as a task on that loop,
     * where the last queued write flushes. A write to a channel that has closed fails silently.
     */
    private void write(TextWebSocketFrame frame) {
        EventExecutor loop = channelContext.executor();
        if (loop.inEventLoop() && writesInProgress.get() == 0) {
            if (corked) {
                channelContext.write(frame, silentPromise);
            } else {
                channelContext.writeAndFlush(frame, silentPromise);
            }
            return;
        }
        writesInProgress.incrementAndGet();
        loop.execute(() -> {
            if (writesInProgress.decrementAndGet() == 0) {
                channelContext.writeAndFlush(frame, silentPromise);
            } else {
                channelContext.write(frame, silentPromise);
            }
        });
    }

    /**
     * Holds back the flush of frames written on this thread until {@link #uncork}. Call both on the
     * connection's event loop (where its messages are handled), around the handling of one message.
     */
    void cork() {
        if (channelContext != null && channelContext.executor().inEventLoop()) {
            corked = true;
        }
    }

    /** Flushes what {@link #cork} held back; the next frame written also flushes it. */
    void uncork() {
        if (corked) {
            corked = false;
            channelContext.flush();
        }
    }

    private boolean tooSlow() {
        // The channel's own flag: Vert.x's writeQueueFull() reads the same under the connection's lock.
        boolean full = channelContext != null ? !channelContext.channel().isWritable() : socket.writeQueueFull();
        if (!full) {
            fullSince = 0;
            return false;
        }
        long now = System.nanoTime();
        long since = fullSince;
        if (since == 0) {
            fullSince = now;
            return false;
        }
        return now - since > slowReaderLimitNanos;
    }

    /**
     * A close frame would wait behind the frames the client does not read, and the close handshake
     * with it: drop the TCP connection, which frees the queue. The client sees an abnormal close
     * and reconnects.
     */
    private void cutOff() {
        closing = true;
        // Vert.x's close (its handler, last in the pipeline) waits for the queued frames to flush:
        // start the close below it, at the first handler.
        Channel channel = channelOf(socket);
        if (channel != null) {
            channel.pipeline().firstContext().close();
        } else {
            close(CLOSE_GOING_AWAY, "Too slow to keep up; reconnect to catch up");
        }
    }

    void close(int code, String reason) {
        closing = true;
        // The client often closes first (it left, or resumed elsewhere): closing again would only
        // make WebSockets Next log a warning per connection.
        if (connection.isClosed()) {
            return;
        }
        connection.close(new CloseReason(code, reason)).subscribe().with(ignored -> {
        }, failure -> LOG.debugf("Closing a connection failed: %s", failure.getMessage()));
    }

    private static WebSocketBase socketOf(WebSocketConnection connection) {
        if (WEB_SOCKET == null) {
            return null;
        }
        try {
            return WEB_SOCKET.invoke(connection) instanceof WebSocketBase socket ? socket : null;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The TCP channel under a server socket, which Vert.x Web hands out wrapped. */
    private static Channel channelOf(WebSocketBase socket) {
        ConnectionBase tcp = tcpOf(socket);
        return tcp == null ? null : tcp.channel();
    }

    private static ConnectionBase tcpOf(WebSocketBase socket) {
        WebSocketBase unwrapped = socket;
        try {
            if (WRAPPED_SOCKET != null && WRAPPED_SOCKET.getDeclaringClass().isInstance(socket)) {
                unwrapped = (WebSocketBase) WRAPPED_SOCKET.get(socket);
            }
        } catch (ReflectiveOperationException e) {
            return null;
        }
        return unwrapped instanceof WebSocketImplBase<?> vertxSocket
                && vertxSocket.connection() instanceof ConnectionBase tcp ? tcp : null;
    }

    private static AtomicInteger writesInProgressOf(ConnectionBase tcp) {
        try {
            return WRITES_IN_PROGRESS == null ? null : (AtomicInteger) WRITES_IN_PROGRESS.get(tcp);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    /** ConnectionBase.writeInProgress (Vert.x 4.5): writes queued to the event loop from other threads. */
    private static Field writesInProgressField() {
        try {
            Field field = ConnectionBase.class.getDeclaredField("writeInProgress");
            field.setAccessible(true);
            return field.getType() == AtomicInteger.class ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field wrappedSocketField() {
        try {
            Field field = Class.forName("io.vertx.ext.web.impl.ServerWebSocketWrapper", false,
                    WebSocketBase.class.getClassLoader()).getDeclaredField("delegate");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** WebSocketConnectionBase.webSocket() is package-private in WebSockets Next 3.33. */
    private static Method webSocketAccessor() {
        try {
            Method method = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase", false,
                    WebSocketConnection.class.getClassLoader()).getDeclaredMethod("webSocket");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.infof("Sending through WebSocketConnection.sendText: the Vert.x socket is not reachable (%s)",
                    e.toString());
            return null;
        }
    }
}
