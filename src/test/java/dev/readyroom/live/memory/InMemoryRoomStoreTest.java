package dev.readyroom.live.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.Decks;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.RoomEvent;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.PublishedEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRoomStoreTest {
    private static final String EPOCH = "epoch-1";

    private final InMemoryRoomStore store = new InMemoryRoomStore(new InProcessRoomBus(),
            new KeptPerRoom(5, Long.MAX_VALUE, 3, Long.MAX_VALUE), Clock.systemUTC());
    private RoomState state = RoomState.create("room-1", "Refinement", Decks.FIBONACCI,
            new Settings(false), "key-hash", 100);

    @Test
    void theKeptEventsComeBackAsCommittedAfterAKnownVersion() {
        store.create(state, EPOCH).await().indefinitely();
        List<PublishedEvent> committed = commit(4);

        assertThat(store.eventsAfter("room-1", EPOCH, 1).await().indefinitely())
                .containsExactlyElementsOf(committed.subList(1, 4));
        assertThat(store.eventsAfter("room-1", EPOCH, 4).await().indefinitely()).isEmpty();
    }

    @Test
    void eventsOlderThanTheLastKeptOnesAskForASnapshot() {
        store.create(state, EPOCH).await().indefinitely();
        List<PublishedEvent> committed = commit(12);

        assertThat(store.eventsAfter("room-1", EPOCH, 7).await().indefinitely())
                .containsExactlyElementsOf(committed.subList(7, 12));
        assertThat(store.eventsAfter("room-1", EPOCH, 6).await().indefinitely()).isNull();
        assertThat(store.eventsAfter("room-1", "another-epoch", 11).await().indefinitely()).isNull();
        assertThat(store.eventsAfter("room-1", EPOCH, 13).await().indefinitely()).isNull();
    }

    @Test
    void aCommandsReplyIsRememberedUntilNewerRepliesPushItOut() {
        store.create(state, EPOCH).await().indefinitely();
        store.rememberReplyNow("room-1", "p1:op-1", "rejected op-1");
        for (int op = 2; op <= 4; op++) {
            commit(1, "p1:op-" + op, "ack op-" + op);
        }

        assertThat(store.replyOrRoomNow("room-1", "p1:op-4").reply()).isEqualTo("ack op-4");
        assertThat(store.replyOrRoomNow("room-1", "p1:op-2").reply()).isEqualTo("ack op-2");
        assertThat(store.replyOrRoomNow("room-1", "p1:op-1").reply()).isNull();
        assertThat(store.replyOrRoomNow("room-1", "p1:op-1").room().state().version()).isEqualTo(3);
    }

    private List<PublishedEvent> commit(int count) {
        List<PublishedEvent> committed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            committed.add(commit(i, null, null));
        }
        return committed;
    }

    private PublishedEvent commit(int i, String opKey, String reply) {
        RoomState next = RoomRules.apply(state, new RoomEvent.SettingsChanged(new Settings(i % 2 == 0)));
        PublishedEvent event = new PublishedEvent(state.id(), EPOCH, next.version(), EventType.SETTINGS_CHANGED,
                "{\"type\":\"settings.changed\",\"version\":" + next.version() + ",\"note\":\"é ✓\"}");
        assertThat(store.commitNow(state.version(), next, event, opKey, reply)).isTrue();
        state = next;
        return event;
    }
}
