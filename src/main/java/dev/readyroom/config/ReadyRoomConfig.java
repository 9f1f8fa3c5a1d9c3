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

        /** Messages a connection may send in a burst; the bucket refills at this many per second. */
        @WithDefault("20")
        int messagesPerSecond();

        /** People in one room. */
        @WithDefault("100")
        int maxParticipants();

        /** Rooms one service holds at most (memory guard for standalone mode). */
        @WithDefault("100000")
        int maxRooms();
    }

    interface WebSocket {
        /**
         * Origins allowed to open a room socket, besides the service's own origin (e.g.
         * {@code https://rooms.example.com}). {@code *} allows any origin.
         */
        Optional<List<String>> allowedOrigins();

        /**
         * How long a client's write queue may stay full (it stopped reading) before its socket is
         * closed with 1013; it reconnects and catches up.
         */
        @WithDefault("30s")
        Duration slowReaderLimit();
    }

    interface Presence {
        /** How long someone whose connection dropped stays in the room as away. */
        @WithDefault("120s")
        Duration gracePeriod();
    }

    interface Live {
        /** Rooms nobody changed for this long are forgotten. */
        @WithDefault("24h")
        Duration roomIdleExpiry();

        /** Events kept per room for resuming clients. */
        @WithDefault("1000")
        int keptEvents();

        /** Command replies kept per room, for retried opIds. */
        @WithDefault("10000")
        int keptReplies();

        /**
         * How long a command may wait for the live store before it is answered {@code unavailable}:
         * 1.2 s leaves room for the rest of the 1.5 s promised to clients while Redis hangs.
         */
        @WithDefault("1200ms")
        Duration commitTimeout();
    }
}
