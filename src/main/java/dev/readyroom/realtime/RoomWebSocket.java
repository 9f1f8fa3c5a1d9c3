package dev.readyroom.realtime;

import dev.readyroom.admission.AddressLimits;
import dev.readyroom.admission.RateLimiter;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.NodeIdentity;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The live room socket, {@code /ws/rooms/{roomId}}: see docs/protocol.md. Messages go to
 * {@link CommandDispatch} (the join among them, to {@link Handshake}); a close to {@link Presence}.
 */
@WebSocket(path = "/ws/rooms/{roomId}")
public class RoomWebSocket {
    private static final Logger LOG = Logger.getLogger(RoomWebSocket.class);
    /** Policy violation: the socket never joined its room. */
    static final int CLOSE_NOT_JOINED = 1008;

    private final CommandDispatch dispatch;
    private final Presence presence;
    private final ReadyRoomConfig config;
    private final NodeIdentity node;
    private final Counter slowReadersClosed;
    private final Counter pingFloodersClosed;
    private final AddressLimits addresses;
    private final Vertx vertx;
    /** Every open room socket, joined or not. */
    private final AtomicInteger open = new AtomicInteger();

    public RoomWebSocket(CommandDispatch dispatch, Presence presence, ReadyRoomConfig config, NodeIdentity node,
            MeterRegistry metrics, AddressLimits addresses, Vertx vertx) {
        this.dispatch = dispatch;
        this.presence = presence;
        this.config = config;
        this.node = node;
        this.addresses = addresses;
        this.vertx = vertx;
        this.slowReadersClosed = metrics.counter("readyroom.slow.readers.closed");
        this.pingFloodersClosed = metrics.counter("readyroom.ping.flooders.closed");
        metrics.gauge("readyroom.connections", open);
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection, @PathParam String roomId) {
        open.incrementAndGet();
        String address = AddressLimits.hostOf(connection.handshakeRequest().remoteAddress());
        addresses.opened(address);
        RateLimiter limiter = new RateLimiter(config.limits().messageBurst(), config.limits().messagesPerSecond(),
                System.nanoTime());
        ConnectionState state = new ConnectionState(node.nextConnection(), roomId, address, limiter,
                Outbound.of(connection, config.websocket().slowReaderLimit(), config.websocket().outboundLimitBytes(),
                        slowReadersClosed));
        state.attachTo(connection);
        Channel channel = state.out.channel();
        if (channel != null) {
            ControlFrameLimit.install(channel, config.limits().controlFramesPerSecond(), () -> {
                state.closed = true;
                pingFloodersClosed.increment();
            });
        }
        Duration joinTimeout = config.websocket().joinTimeout();
        vertx.setTimer(Math.max(1, joinTimeout.toMillis()), id -> {
            if (!state.joined() && !state.joining && !state.closed && !connection.isClosed()) {
                state.closed = true;
                state.out.close(CLOSE_NOT_JOINED, "Join the room within " + joinTimeout.toSeconds() + " s");
            }
        });
    }

    @OnTextMessage
    public Uni<Void> onText(String message, WebSocketConnection connection) {
        return dispatch.received(connection, message);
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer message, WebSocketConnection connection) {
        return connection.close(new CloseReason(1003, "Send JSON text frames"));
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        open.decrementAndGet();
        ConnectionState state = ConnectionState.of(connection);
        if (state != null) {
            addresses.closed(state.address);
        }
        return presence.closed(connection);
    }

    @OnError
    public void onError(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("Connection %s failed: %s", connection.id(), failure.getMessage());
    }
}
