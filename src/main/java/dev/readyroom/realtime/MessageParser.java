package dev.readyroom.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.readyroom.domain.Flag;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Text;
import dev.readyroom.live.Secrets;
import dev.readyroom.realtime.InboundMessage.Command;
import dev.readyroom.realtime.InboundMessage.Join;
import dev.readyroom.realtime.InboundMessage.Resume;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Turns one client text frame into a message, or a {@link ProtocolException} naming what is wrong. */
@ApplicationScoped
public class MessageParser {
    private static final int MAX_OP_ID = 64;
    /** Reads exactly one JSON value: text after it makes the message malformed, not ignored. */
    private final ObjectReader reader;

    public MessageParser(ObjectMapper mapper) {
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The opId of a frame, best effort, so that even a rejected command's error names it. */
    public static String opIdOf(JsonNode node) {
        JsonNode opId = node == null ? null : node.get("opId");
        return opId != null && opId.isTextual() && opId.asText().length() <= MAX_OP_ID ? opId.asText() : null;
    }

    public JsonNode read(String text) {
        try {
            JsonNode node = reader.readTree(text);
            if (node == null || !node.isObject()) {
                throw new ProtocolException("malformed", "Each message is one JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed", "The message is not valid JSON.");
        }
    }

    public InboundMessage parse(JsonNode node) {
        String type = requiredString(node, "type");
        if ("join".equals(type)) {
            return parseJoin(node);
        }
        String opId = requiredString(node, "opId");
        if (opId.isEmpty() || opId.length() > MAX_OP_ID) {
            throw new ProtocolException("invalid_value", "opId is 1 to " + MAX_OP_ID + " characters.");
        }
        return new Command(opId, command(type, node));
    }

    private Join parseJoin(JsonNode node) {
        String name = requiredString(node, "name");
        String role = requiredString(node, "role");
        if (Role.fromWire(role).isEmpty()) {
            throw new ProtocolException("invalid_role", "The role is voter or observer.");
        }
        Resume resume = null;
        JsonNode resumeNode = node.get("resume");
        if (resumeNode != null && !resumeNode.isNull()) {
            if (!resumeNode.isObject()) {
                throw new ProtocolException("malformed", "resume is an object with token, epoch and version.");
            }
            JsonNode version = resumeNode.get("version");
            if (version != null && !version.isNull() && !version.canConvertToLong()) {
                throw new ProtocolException("malformed", "resume.version is a number.");
            }
            resume = new Resume(requiredString(resumeNode, "token"), optionalString(resumeNode, "epoch"),
                    version == null || version.isNull() ? null : version.asLong());
        }
        return new Join(name, role, optionalString(node, "facilitatorKey"), resume);
    }

    private RoomCommand command(String type, JsonNode node) {
        return switch (type) {
            case "vote" -> vote(node);
            case "prevote" -> new RoomCommand.CastPreVote(requiredString(node, "itemId"), nullableString(node, "value"),
                    flags(node));
            case "facilitator.claim" -> new RoomCommand.ClaimWithKey(Secrets.hash(requiredString(node,
                    "facilitatorKey")));
            case "participant.scribe" -> new RoomCommand.NameScribe(nullableString(node, "participantId"));
            case "item.note" -> new RoomCommand.AddNote(requiredString(node, "itemId"), requiredString(node, "text"));
            case "timebox.start" -> new RoomCommand.StartTimebox(requiredInt(node, "minutes"), 0);
            case "timebox.stop" -> new RoomCommand.StopTimebox(0);
            case "reveal" -> new RoomCommand.Reveal();
            case "revote" -> new RoomCommand.Revote();
            case "round.quick" -> new RoomCommand.StartQuickRound();
            case "item.add" -> new RoomCommand.AddItem(requiredString(node, "title"),
                    optionalString(node, "description"), optionalString(node, "acceptanceCriteria"),
                    optionalString(node, "reference"), optionalString(node, "value"),
                    optionalString(node, "dependencies"));
            case "item.update" -> new RoomCommand.UpdateItem(requiredString(node, "itemId"),
                    optionalString(node, "title"), optionalString(node, "description"),
                    optionalString(node, "acceptanceCriteria"), optionalString(node, "reference"),
                    optionalString(node, "value"), optionalString(node, "dependencies"));
            case "item.split" -> split(node);
            case "item.move" -> new RoomCommand.MoveItem(requiredString(node, "itemId"), requiredInt(node, "toIndex"));
            case "item.remove" -> new RoomCommand.RemoveItem(requiredString(node, "itemId"));
            case "item.select" -> new RoomCommand.SelectItem(requiredString(node, "itemId"));
            case "item.estimate" -> new RoomCommand.SettleEstimate(requiredString(node, "itemId"),
                    nullableString(node, "value"));
            case "item.flag.resolve" -> new RoomCommand.ResolveFlag(requiredString(node, "itemId"),
                    flag(requiredString(node, "flag")), optionalString(node, "note"));
            case "settings.update" -> settingsUpdate(node);
            case "facilitator.transfer" -> new RoomCommand.TransferFacilitator(requiredString(node, "participantId"));
            case "participant.remove" -> new RoomCommand.RemoveParticipant(requiredString(node, "participantId"));
            case "participant.readmit" -> new RoomCommand.Readmit(requiredString(node, "participantId"));
            case "participant.update" -> participantUpdate(node);
            case "leave" -> new RoomCommand.Leave();
            case "room.delete" -> new RoomCommand.DeleteRoom();
            default -> throw new ProtocolException("unknown_type", "Unknown message type \"" + Text.echoed(type) + "\".");
        };
    }

    private RoomCommand vote(JsonNode node) {
        return new RoomCommand.CastVote(nullableString(node, "value"), flags(node));
    }

    private static List<Flag> flags(JsonNode node) {
        List<Flag> flags = new ArrayList<>();
        JsonNode flagsNode = node.get("flags");
        if (flagsNode != null && !flagsNode.isNull()) {
            if (!flagsNode.isArray()) {
                throw new ProtocolException("malformed", "flags is an array of strings.");
            }
            for (JsonNode flag : flagsNode) {
                if (!flag.isTextual()) {
                    throw new ProtocolException("malformed", "flags is an array of strings.");
                }
                flags.add(flag(flag.asText()));
            }
        }
        return flags;
    }

    /** Any subset of the settings; velocity may be given as null, to clear it. */
    private RoomCommand settingsUpdate(JsonNode node) {
        Boolean autoReveal = node.has("autoReveal") && !node.get("autoReveal").isNull()
                ? requiredBoolean(node, "autoReveal") : null;
        RoomCommand.ChecklistChange readiness = null;
        JsonNode checklist = node.get("readiness");
        if (checklist != null && !checklist.isNull()) {
            if (!checklist.isObject()) {
                throw new ProtocolException("malformed", "readiness is an object: definition, value, size, risks "
                        + "(true or false) and maxEstimate (a card).");
            }
            readiness = new RoomCommand.ChecklistChange(optionalBoolean(checklist, "definition"),
                    optionalBoolean(checklist, "value"), optionalBoolean(checklist, "size"),
                    optionalBoolean(checklist, "risks"), optionalString(checklist, "maxEstimate"));
        }
        boolean velocityGiven = node.has("velocity");
        Double velocity = null;
        if (velocityGiven && !node.get("velocity").isNull()) {
            if (!node.get("velocity").isNumber()) {
                throw new ProtocolException("malformed", "velocity is a number of points per sprint, or null.");
            }
            velocity = node.get("velocity").asDouble();
        }
        Boolean preVoting = node.has("preVoting") && !node.get("preVoting").isNull()
                ? requiredBoolean(node, "preVoting") : null;
        return new RoomCommand.UpdateSettings(autoReveal, readiness, velocityGiven, velocity, preVoting);
    }

    private RoomCommand split(JsonNode node) {
        String itemId = requiredString(node, "itemId");
        JsonNode children = node.get("children");
        if (children == null || children.isNull()) {
            throw new ProtocolException("missing_field", "The field \"children\" is required.");
        }
        if (!children.isArray()) {
            throw new ProtocolException("malformed", "children is an array of items: title, and optionally "
                    + "description, acceptanceCriteria, value.");
        }
        if (children.size() > RoomState.MAX_SPLIT_CHILDREN) {
            // Refused before the items are read: the rules would refuse them anyway.
            throw new ProtocolException("invalid_value", "Split an item into 2 to " + RoomState.MAX_SPLIT_CHILDREN
                    + " items.");
        }
        List<RoomCommand.NewItem> parts = new ArrayList<>();
        for (JsonNode child : children) {
            if (!child.isObject()) {
                throw new ProtocolException("malformed", "Each of children is an object with a title.");
            }
            parts.add(new RoomCommand.NewItem(requiredString(child, "title"), optionalString(child, "description"),
                    optionalString(child, "acceptanceCriteria"), optionalString(child, "value")));
        }
        return new RoomCommand.SplitItem(itemId, parts);
    }

    private RoomCommand participantUpdate(JsonNode node) {
        String role = optionalString(node, "role");
        if (role != null && Role.fromWire(role).isEmpty()) {
            throw new ProtocolException("invalid_role", "The role is voter or observer.");
        }
        return new RoomCommand.UpdateSelf(optionalString(node, "name"),
                role == null ? null : Role.fromWire(role).orElseThrow());
    }

    private static Flag flag(String name) {
        return Flag.fromWire(name).orElseThrow(() -> new ProtocolException("invalid_value",
                "Unknown flag \"" + Text.echoed(name) + "\"; flags are scope, acceptance, dependency, risk, too-big."));
    }

    private static String requiredString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException("missing_field", "The field \"" + field + "\" is required.");
        }
        if (!value.isTextual()) {
            throw new ProtocolException("malformed", "The field \"" + field + "\" is a string.");
        }
        return value.asText();
    }

    /** Absent or null: null. */
    private static String optionalString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProtocolException("malformed", "The field \"" + field + "\" is a string.");
        }
        return value.asText();
    }

    /** Must be present; JSON null is a meaningful value (e.g. withdrawing a vote). */
    private static String nullableString(JsonNode node, String field) {
        if (!node.has(field)) {
            throw new ProtocolException("missing_field", "The field \"" + field + "\" is required (null allowed).");
        }
        return optionalString(node, field);
    }

    private static Boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new ProtocolException("malformed", "The field \"" + field + "\" is true or false.");
        }
        return value.asBoolean();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException("missing_field", "The field \"" + field + "\" is required.");
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new ProtocolException("malformed", "The field \"" + field + "\" is a whole number.");
        }
        return value.asInt();
    }

    private static boolean requiredBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException("missing_field", "The field \"" + field + "\" is required.");
        }
        if (!value.isBoolean()) {
            throw new ProtocolException("malformed", "The field \"" + field + "\" is true or false.");
        }
        return value.asBoolean();
    }
}
