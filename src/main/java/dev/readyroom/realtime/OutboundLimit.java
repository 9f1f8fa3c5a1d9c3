package dev.readyroom.realtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Bounds in bytes what the server queues for one client, whatever writes it: events, replies,
 * and the pongs and close frames Vert.x answers by itself. It sits first on the TCP channel, so
 * every frame passes it.
 *
 * <ul>
 *   <li>Past a quarter of {@code limitBytes} the channel is unwritable: this client's input is
 *       no longer read (a ping flood waits in its own send buffer, not in this server's memory),
 *       and a grace period starts.</li>
 *   <li>Still unwritable at the end of the grace, or past {@code limitBytes} at any time, the
 *       client is cut off at TCP: a close frame would wait behind what it does not read. Its
 *       participant is shown away, as for any drop, and it reconnects to catch up.</li>
 * </ul>
 */
final class OutboundLimit extends ChannelDuplexHandler {
    private static final Logger LOG = Logger.getLogger(OutboundLimit.class);
    static final String NAME = "readyroom-outbound-limit";

    private final long limitBytes;
    private final long graceNanos;
    private final Runnable onCutOff;
    private ScheduledFuture<?> graceTimer;
    private boolean cutOff;

    private OutboundLimit(long limitBytes, long graceNanos, Runnable onCutOff) {
        this.limitBytes = limitBytes;
        this.graceNanos = graceNanos;
        this.onCutOff = onCutOff;
    }

    /**
     * Puts the limit on {@code channel}, unless it has one; {@code onCutOff} runs once, on its event
     * loop, if it cuts. Returns true when the channel is limited.
     */
    static boolean install(Channel channel, long limitBytes, long graceNanos, Runnable onCutOff) {
        int high = (int) Math.max(2, Math.min(Integer.MAX_VALUE, limitBytes / 4));
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
        try {
            channel.pipeline().addFirst(NAME, new OutboundLimit(limitBytes, graceNanos, onCutOff));
        } catch (IllegalArgumentException alreadyThere) {
            // One per channel: the first keeps its limit.
        }
        return true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (cutOff) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new IllegalStateException("Cut off"));
            return;
        }
        ChannelOutboundBuffer queued = ctx.channel().unsafe().outboundBuffer();
        if (queued != null && queued.totalPendingWriteBytes() > limitBytes) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new IllegalStateException("Over the outbound limit"));
            cut(ctx, "its queue passed " + limitBytes + " bytes");
            return;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        if (!channel.isWritable()) {
            channel.config().setAutoRead(false);
            if (graceTimer == null) {
                graceTimer = ctx.executor().schedule(() -> {
                    graceTimer = null;
                    if (!channel.isWritable()) {
                        cut(ctx, "it did not read its frames for " + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms");
                    }
                }, graceNanos, TimeUnit.NANOSECONDS);
            }
        } else {
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            if (!cutOff) {
                channel.config().setAutoRead(true);
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    private void cut(ChannelHandlerContext ctx, String why) {
        if (cutOff) {
            return;
        }
        cutOff = true;
        LOG.infof("Dropping connection %s: %s", ctx.channel().id().asShortText(), why);
        onCutOff.run();
        ctx.close();
    }
}
