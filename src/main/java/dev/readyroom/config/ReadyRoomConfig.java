package dev.readyroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every tunable of Ready Room, under the {@code readyroom.} prefix. */
@ConfigMapping(prefix = "readyroom")
public interface ReadyRoomConfig {

    /** The base URL people use to reach the service, for join links; by default the request's own. */
    Optional<String> publicUrl();

    Limits limits();

    WebSocket websocket();

    Presence presence();

    Live live();

    interface Limits {
        /** Largest WebSocket text message accepted, in bytes. */
        @WithDefault("4096")
        int maxMessageBytes();

        /**
         * Messages a connection (and a participant, over all their connections) may send in a burst:
         * a reconnecting client replays what it queued offline.
         */
        @WithDefault("20")
        int messageBurst();

        /**
         * How fast that burst refills, messages per second: far above what a person clicks, low
         * enough that a flood of refused commands costs the node little.
         */
        @WithDefault("5")
        int messagesPerSecond();

        /**
         * Pings and pongs a connection may send a second, in bursts of twice that; past it the
         * connection is closed (1008). Browsers send none; other clients one every few seconds.
         */
        @WithDefault("5")
        int controlFramesPerSecond();

        /** People in one room. */
        @WithDefault("100")
        int maxParticipants();

        /**
         * Room sockets one network address may hold open at once, joined or not. One address can
         * be a whole office behind NAT: 400 fits a 100-person room with a few tabs each, and the
         * overlap of reconnects.
         */
        @WithDefault("400")
        int socketsPerAddress();

        /** Room socket upgrades one address may make in a burst (everyone reconnecting after a restart). */
        @WithDefault("200")
        int upgradesPerAddressBurst();

        /** How fast that burst refills, upgrades per second. */
        @WithDefault("20")
        double upgradesPerAddressPerSecond();

        /** REST writes (room creations, imports) one address may make in a burst. */
        @WithDefault("30")
        int restWritesPerAddressBurst();

        /** How fast that burst refills, writes per second. */
        @WithDefault("0.5")
        double restWritesPerAddressPerSecond();

        /** Rooms one service holds at most (memory guard for standalone mode). */
        @WithDefault("100000")
        int maxRooms();

        /**
         * Bytes of heap the rooms of a standalone node may take in all (state, kept events and
         * replies, counted about and on the high side). Unset: half the JVM's maximum heap.
         */
        Optional<Long> maxLiveBytes();
    }

    interface WebSocket {
        /**
         * Origins allowed to open a room socket, besides the service's own origin (e.g.
         * {@code https://rooms.example.com}). {@code *} allows any origin.
         */
        Optional<List<String>> allowedOrigins();

        /**
         * How long a client's write queue may stay full (it stopped reading: past a quarter of
         * {@link #outboundLimitBytes}) before its connection is dropped; it reconnects and catches up.
         */
        @WithDefault("10s")
        Duration slowReaderLimit();

        /** How long a socket may stay open without joining its room before it is closed (1008). */
        @WithDefault("10s")
        Duration joinTimeout();

        /**
         * The most the server queues for one client, in bytes: events, replies, pongs and close
         * frames alike. Past it the connection is dropped at once.
         */
        @WithDefault("1048576")
        long outboundLimitBytes();
    }

    interface Presence {
        /** How long someone whose connection dropped stays in the room as away. */
        @WithDefault("120s")
        Duration gracePeriod();

        /**
         * How long someone the facilitator removed is refused when they come back with their token,
         * unless the facilitator lets them back in first.
         */
        @WithDefault("8h")
        Duration removedKeptOutFor();
    }

    interface Live {
        /** Rooms nobody changed for this long are forgotten. */
        @WithDefault("24h")
        Duration roomIdleExpiry();

        /**
         * At the room cap, rooms nobody is in and nobody changed for this long make way for new
         * ones; they stay in the record and are rebuilt when opened again.
         */
        @WithDefault("1h")
        Duration roomMakeWayAfter();

        /** Events kept per room for resuming clients. */
        @WithDefault("1000")
        int keptEvents();

        /** The most bytes of events kept per room (older events go first); a client further behind gets a snapshot. */
        @WithDefault("524288")
        long keptEventsBytes();

        /** Command replies kept per room, for retried opIds. */
        @WithDefault("10000")
        int keptReplies();

        /** The most bytes of replies kept per room (older replies go first). */
        @WithDefault("524288")
        long keptRepliesBytes();

        /**
         * How long a command may wait for the live store before it is answered {@code unavailable}:
         * 1.2 s leaves room for the rest of the 1.5 s promised to clients while Redis hangs.
         */
        @WithDefault("1200ms")
        Duration commitTimeout();
    }
}
