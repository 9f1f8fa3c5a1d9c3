package dev.readyroom.realtime;

import dev.readyroom.admission.RateLimiter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Rate-limits the control frames a client sends. Vert.x answers every ping with a pong by itself,
 * below the message rate limit: a client that floods pings makes the server write as much as it
 * reads, on the event loop its neighbours share. Browsers never send pings and other clients send
 * one every few seconds, so a client past the rate is closed with {@code 1008} at once: the frames
 * left in its read buffer are dropped unread, and no pong is written for them.
 *
 * <p>It sits right after the WebSocket frame decoder, so it sees each frame before Vert.x does.
 */
final class ControlFrameLimit extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ControlFrameLimit.class);
    static final String NAME = "readyroom-control-frame-limit";
    static final int CLOSE_POLICY_VIOLATION = 1008;
    /** How long the close frame may take to leave before the TCP connection is dropped anyway. */
    private static final long CLOSE_FRAME_WAIT_MILLIS = 1_000;

    private final RateLimiter allowance;
    private final int perSecond;
    private final LongSupplier clock;
    private final Runnable onClosed;
    private boolean closed;

    private ControlFrameLimit(RateLimiter allowance, int perSecond, LongSupplier clock, Runnable onClosed) {
        this.allowance = allowance;
        this.perSecond = perSecond;
        this.clock = clock;
        this.onClosed = onClosed;
    }

    /**
     * Puts the limit on {@code channel} after its WebSocket decoder: {@code perSecond} control frames
     * a second, in bursts of twice that. {@code onClosed} runs once, on the channel's event loop, if
     * it closes the connection. Returns false when the channel has no WebSocket decoder to follow.
     */
    static boolean install(Channel channel, int perSecond, Runnable onClosed) {
        var decoder = channel.pipeline().context(WebSocketFrameDecoder.class);
        if (decoder == null || perSecond <= 0) {
            return false;
        }
        LongSupplier clock = System::nanoTime;
        RateLimiter allowance = new RateLimiter(2 * perSecond, perSecond, clock.getAsLong());
        try {
            channel.pipeline().addAfter(decoder.name(), NAME, new ControlFrameLimit(allowance, perSecond, clock, onClosed));
        } catch (IllegalArgumentException alreadyThere) {
            // One per channel.
        }
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if ((msg instanceof PingWebSocketFrame || msg instanceof PongWebSocketFrame)
                && !allowance.tryAcquire(clock.getAsLong())) {
            ReferenceCountUtil.release(msg);
            close(ctx);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void close(ChannelHandlerContext ctx) {
        closed = true;
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        LOG.infof("Closing connection %s: more than %d control frames a second", channel.id().asShortText(),
                perSecond);
        onClosed.run();
        // From the tail, through the frame encoder; Vert.x learns of the close when the channel closes.
        channel.writeAndFlush(new CloseWebSocketFrame(CLOSE_POLICY_VIOLATION, "Too many pings"))
                .addListener(written -> dropConnection(channel));
        // The close frame waits behind pongs a client that does not read never takes.
        ctx.executor().schedule(() -> dropConnection(channel), CLOSE_FRAME_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Closes below Vert.x's handler, whose own close waits for the queued frames to flush. */
    private static void dropConnection(Channel channel) {
        if (channel.isOpen()) {
            channel.pipeline().firstContext().close();
        }
    }
}
