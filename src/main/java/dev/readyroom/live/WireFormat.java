package dev.readyroom.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.RoomEvent.EstimateSettled;
import dev.readyroom.domain.RoomEvent.FacilitatorChanged;
import dev.readyroom.domain.RoomEvent.NoteAdded;
import dev.readyroom.domain.RoomEvent.PreVoteCast;
import dev.readyroom.domain.RoomEvent.PreVoteWithdrawn;
import dev.readyroom.domain.RoomEvent.ScribeChanged;
import dev.readyroom.domain.RoomEvent.TimeboxStarted;
import dev.readyroom.domain.RoomEvent.TimeboxStopped;
import dev.readyroom.domain.RoomEvent.FlagResolved;
import dev.readyroom.domain.RoomEvent.ItemAdded;
import dev.readyroom.domain.RoomEvent.ItemMoved;
import dev.readyroom.domain.RoomEvent.ItemRemoved;
import dev.readyroom.domain.RoomEvent.ItemSplit;
import dev.readyroom.domain.RoomEvent.ItemUpdated;
import dev.readyroom.domain.RoomEvent.LeaveReason;
import dev.readyroom.domain.RoomEvent.ParticipantJoined;
import dev.readyroom.domain.RoomEvent.ParticipantLeft;
import dev.readyroom.domain.RoomEvent.ParticipantReadmitted;
import dev.readyroom.domain.RoomEvent.ParticipantUpdated;
import dev.readyroom.domain.RoomEvent.PresenceChanged;
import dev.readyroom.domain.RoomEvent.RoomDeleted;
import dev.readyroom.domain.RoomEvent.RoundRevealed;
import dev.readyroom.domain.RoomEvent.RoundStarted;
import dev.readyroom.domain.RoomEvent.SettingsChanged;
import dev.readyroom.domain.RoomEvent.VoteCast;
import dev.readyroom.domain.RoomEvent.VoteWithdrawn;
import dev.readyroom.domain.RoomEvent;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.RoomView.ItemView;
import dev.readyroom.domain.RoomView.KeptOutView;
import dev.readyroom.domain.RoomView.NoteView;
import dev.readyroom.domain.RoomView.ParticipantView;
import dev.readyroom.domain.RoomView.RoundView;
import dev.readyroom.domain.RoomView.TimeboxView;
import dev.readyroom.domain.RoomView.VoteView;
import dev.readyroom.domain.Readiness;
import dev.readyroom.domain.RoomView;
import dev.readyroom.domain.Runway;
import dev.readyroom.live.PublishedEvent.Change;
import dev.readyroom.live.PublishedEvent.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of every server message (docs/protocol.md). Events are public: a vote or pre-vote event
 * names the voter, never the value.
 */
@ApplicationScoped
public class WireFormat {
    private static final ObjectMapper READER = new ObjectMapper();
    private final ObjectMapper mapper;

    public WireFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public PublishedEvent event(RoomEvent event, RoomState after, String epoch) {
        String voter = event instanceof VoteCast cast ? cast.participantId()
                : event instanceof VoteWithdrawn withdrawn ? withdrawn.participantId() : null;
        if (voter != null) {
            return new PublishedEvent(after.id(), epoch, after.version(), event.type(),
                    participantEvent(event.type().wireName(), epoch, after.version(), voter));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", event.type().wireName());
        message.put("epoch", epoch);
        message.put("version", after.version());
        addPayload(message, event, after);
        return new PublishedEvent(after.id(), epoch, after.version(), event.type(), write(message),
                membership(event));
    }

    private static Membership membership(RoomEvent event) {
        if (event instanceof PresenceChanged e) {
            return new Membership(e.participantId(), e.online() ? Change.ONLINE : Change.AWAY);
        }
        if (event instanceof ParticipantLeft e) {
            return new Membership(e.participantId(), e.reason() == LeaveReason.REMOVED ? Change.REMOVED : Change.LEFT);
        }
        return null;
    }

    /**
     * {@link PublishedEvent#membership} of an event another node committed and sent as text: read
     * back from the JSON it wrote, for the two event types that have one.
     */
    public static Membership membershipIn(EventType type, String json) {
        if (type != EventType.PARTICIPANT_PRESENCE && type != EventType.PARTICIPANT_LEFT) {
            return null;
        }
        try {
            JsonNode event = READER.readTree(json);
            String participantId = event.path("participantId").asText();
            if (type == EventType.PARTICIPANT_PRESENCE) {
                return new Membership(participantId, event.path("online").asBoolean() ? Change.ONLINE : Change.AWAY);
            }
            boolean removed = LeaveReason.REMOVED.wireName().equals(event.path("reason").asText());
            return new Membership(participantId, removed ? Change.REMOVED : Change.LEFT);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a " + type.wireName() + " event", e);
        }
    }

    private void addPayload(Map<String, Object> message, RoomEvent event, RoomState after) {
        if (event instanceof ParticipantJoined e) {
            message.put("participant", ParticipantView.of(e.participant()));
        } else if (event instanceof ParticipantUpdated e) {
            message.put("participant", ParticipantView.of(e.participant()));
        } else if (event instanceof PresenceChanged e) {
            message.put("participantId", e.participantId());
            message.put("online", e.online());
        } else if (event instanceof ParticipantLeft e) {
            message.put("participantId", e.participantId());
            message.put("reason", e.reason().wireName());
            if (e.keptOut() != null) {
                message.put("keptOut", KeptOutView.of(e.keptOut()));
            }
            if (e.facilitatorId() != null) {
                // The facilitator's grace period passed: the role went to the longest-present participant.
                message.put("facilitatorId", e.facilitatorId());
            }
        } else if (event instanceof ParticipantReadmitted e) {
            message.put("participantId", e.participantId());
        } else if (event instanceof FacilitatorChanged e) {
            message.put("participantId", e.participantId());
            message.put("reason", e.reason().wireName());
        } else if (event instanceof ScribeChanged e) {
            message.put("participantId", e.participantId());
        } else if (event instanceof PreVoteCast e) {
            preVote(message, e.itemId(), e.participantId(), after);
        } else if (event instanceof PreVoteWithdrawn e) {
            preVote(message, e.itemId(), e.participantId(), after);
        } else if (event instanceof NoteAdded e) {
            message.put("itemId", e.itemId());
            message.put("note", NoteView.of(e.note()));
        } else if (event instanceof TimeboxStarted e) {
            message.put("timebox", TimeboxView.of(e.timebox()));
        } else if (event instanceof TimeboxStopped) {
            // Nothing more: the timer is gone.
        } else if (event instanceof SettingsChanged e) {
            message.put("settings", e.settings());
            // The checklist may have changed: every item's readiness, as the service evaluates it.
            Map<String, Object> readiness = new LinkedHashMap<>();
            after.items().forEach(item -> readiness.put(item.id(),
                    Readiness.of(item, after.deck(), after.settings().readiness())));
            message.put("itemReadiness", readiness);
        } else if (event instanceof ItemAdded e) {
            message.put("item", itemView(after, e.item().id()));
        } else if (event instanceof ItemUpdated e) {
            message.put("item", itemView(after, e.item().id()));
        } else if (event instanceof FlagResolved e) {
            message.put("item", itemView(after, e.itemId()));
        } else if (event instanceof EstimateSettled e) {
            message.put("item", itemView(after, e.itemId()));
        } else if (event instanceof ItemRemoved e) {
            message.put("itemId", e.itemId());
        } else if (event instanceof ItemSplit e) {
            message.put("item", itemView(after, e.parentId()));
            message.put("children", e.children().stream().map(child -> itemView(after, child.id())).toList());
            message.put("order", order(after));
        } else if (event instanceof ItemMoved e) {
            message.put("itemId", e.itemId());
            message.put("toIndex", e.toIndex());
            message.put("order", order(after));
        } else if (event instanceof RoundStarted e) {
            message.put("round", RoundView.of(e.round()));
            message.put("item", itemView(after, e.round().itemId()));
        } else if (event instanceof RoundRevealed e) {
            message.put("round", RoundView.of(e.round()));
            message.put("item", itemView(after, e.round().itemId()));
        } else if (!(event instanceof RoomDeleted)) {
            throw new IllegalArgumentException("No wire form for " + event.type().wireName());
        }
        if (changesTheRunway(event)) {
            message.put("runway", Runway.of(after));
        }
    }

    /** Who pre-voted on which item and how many have now; never the value. */
    private static void preVote(Map<String, Object> message, String itemId, String participantId, RoomState after) {
        message.put("itemId", itemId);
        message.put("participantId", participantId);
        message.put("preVoteCount", after.item(itemId).map(item -> item.preVotes().size()).orElse(0));
    }

    /** Events about the backlog or the settings: they may change what is ready. */
    private static boolean changesTheRunway(RoomEvent event) {
        return event instanceof SettingsChanged || event instanceof ItemAdded || event instanceof ItemUpdated
                || event instanceof FlagResolved || event instanceof EstimateSettled || event instanceof ItemRemoved
                || event instanceof ItemSplit || event instanceof ItemMoved || event instanceof RoundRevealed;
    }

    /**
     * The backlog's order as item ids, for the record, which keeps each item's place: bounded by the
     * room's item cap, not by its history.
     */
    private static List<String> order(RoomState state) {
        return state.items().stream().map(BacklogItem::id).toList();
    }

    /**
     * The item as an event carries it: every field but its rounds (a reveal carries its new round
     * beside it), so the event's size is bounded by the item's text, never by its history.
     */
    private static Map<String, Object> itemView(RoomState state, String itemId) {
        ItemView item = itemId == null ? null
                : state.item(itemId).map(found -> ItemView.of(found, state, 0)).orElse(null);
        if (item == null) {
            return null;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", item.id());
        summary.put("title", item.title());
        summary.put("description", item.description());
        summary.put("acceptanceCriteria", item.acceptanceCriteria());
        summary.put("reference", item.reference());
        summary.put("value", item.value());
        summary.put("dependencies", item.dependencies());
        summary.put("parentId", item.parentId());
        summary.put("estimate", item.estimate());
        summary.put("status", item.status());
        summary.put("roundCount", item.roundCount());
        summary.put("openFlags", item.openFlags());
        summary.put("resolvedFlags", item.resolvedFlags());
        summary.put("resolutions", item.resolutions());
        summary.put("readiness", item.readiness());
        summary.put("preVoteCount", item.preVoteCount());
        return summary;
    }

    /**
     * The record's entry for a new room ({@link EventType#ROOM_CREATED}); it carries the facilitator
     * key hash so a rebuilt room accepts the same key. Never sent to clients.
     */
    public PublishedEvent roomCreated(RoomState state, String epoch) {
        Map<String, Object> room = new LinkedHashMap<>();
        room.put("id", state.id());
        room.put("name", state.name());
        room.put("deck", state.deck());
        room.put("settings", state.settings());
        room.put("facilitatorKeyHash", state.facilitatorKeyHash());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", EventType.ROOM_CREATED.wireName());
        message.put("epoch", epoch);
        message.put("version", state.version());
        message.put("room", room);
        return new PublishedEvent(state.id(), epoch, state.version(), EventType.ROOM_CREATED, write(message));
    }

    public String welcome(RoomState state, String participantId, String token, String epoch, boolean snapshot,
            long version) {
        Map<String, Object> you = new LinkedHashMap<>();
        ParticipantView me = ParticipantView.of(state.participants().get(participantId));
        you.put("id", me.id());
        you.put("name", me.name());
        you.put("role", me.role());
        you.put("facilitator", state.isFacilitator(participantId));
        long now = System.currentTimeMillis();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "welcome");
        message.put("you", you);
        message.put("token", token);
        message.put("epoch", epoch);
        message.put("version", version);
        // For timeboxes: the client's offset from the server clock.
        message.put("serverTime", now);
        message.put("state", snapshot ? RoomView.of(state, participantId, now) : null);
        return write(message);
    }

    public String ack(String opId, long version, VoteView vote) {
        StringBuilder json = new StringBuilder(96).append("{\"type\":\"ack\",\"opId\":");
        string(json, opId).append(",\"version\":").append(version);
        if (vote != null) {
            string(json.append(",\"vote\":{\"value\":"), vote.value()).append(",\"flags\":[");
            for (int i = 0; i < vote.flags().size(); i++) {
                string(i == 0 ? json : json.append(','), vote.flags().get(i));
            }
            json.append("]}");
        }
        return json.append('}').toString();
    }

    public String error(String opId, String code, String text) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "error");
        if (opId != null) {
            message.put("opId", opId);
        }
        message.put("code", code);
        message.put("message", text);
        return write(message);
    }

    /**
     * The most frequent events (a vote, a withdrawn vote) and acks are written by hand: through a
     * map and databind they cost several times the JSON itself, once per command.
     */
    private static String participantEvent(String type, String epoch, long version, String participantId) {
        StringBuilder json = new StringBuilder(128).append("{\"type\":");
        string(json, type).append(",\"epoch\":");
        string(json, epoch).append(",\"version\":").append(version).append(",\"participantId\":");
        return string(json, participantId).append('}').toString();
    }

    private static StringBuilder string(StringBuilder json, String value) {
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        return json.append('"');
    }

    private String write(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a server message", e);
        }
    }
}
