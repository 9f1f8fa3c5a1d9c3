package dev.readyroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Deck;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.InvalidInputException;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.RoomView.ItemView;
import dev.readyroom.domain.RoomView.RoundView;
import dev.readyroom.domain.Settings;
import dev.readyroom.domain.Text;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Rooms: create one, read its public summary, delete it. Everything live happens on the room socket.
 */
@Path("/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {
    private final RoomService rooms;
    private final ReadyRoomConfig config;

    public RoomResource(RoomService rooms, ReadyRoomConfig config) {
        this.rooms = rooms;
        this.config = config;
    }

    /** The body of POST /api/rooms; {@code deck} is a built-in deck id or {@code {"cards": [...]}}. */
    public record CreateRoom(String name, JsonNode deck, Boolean autoReveal) {
    }

    public record CreatedRoom(String id, String name, Deck deck, Settings settings, String facilitatorKey,
            String joinUrl) {
    }

    public record RoomSummary(String id, String name, Deck deck, Settings settings, int participants, int items,
            long version, String notice) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a room", description = "Returns the facilitator key once; keep it.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid name or deck")
    public Uni<Response> create(CreateRoom request, @Context UriInfo uri) {
        if (request == null) {
            throw new ApiException(400, "missing_field", "Send {\"name\": ..., \"deck\": ...}.");
        }
        Deck deck = deck(request.deck());
        Settings settings = new Settings(Boolean.TRUE.equals(request.autoReveal()));
        return rooms.create(request.name(), deck, settings).map(created -> {
            RoomState state = created.state();
            URI requested = uri.getBaseUri();
            String base = config.publicUrl().orElse(requested.getScheme() + "://" + requested.getRawAuthority())
                    .replaceAll("/+$", "");
            return Response.created(uri.getBaseUriBuilder().path("rooms").path(state.id()).build())
                    .entity(new CreatedRoom(state.id(), state.name(), state.deck(), state.settings(),
                            created.facilitatorKey(), base + "/r/" + state.id()))
                    .build();
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A room's public summary")
    @APIResponse(responseCode = "404", description = "No such room")
    public Uni<RoomSummary> get(@PathParam("id") String id) {
        return rooms.find(id).map(room -> {
            if (room == null) {
                throw new ApiException(404, "room_not_found", "This room does not exist.");
            }
            RoomState state = room.state();
            return new RoomSummary(state.id(), state.name(), state.deck(), state.settings(),
                    state.participants().size(), state.items().size(), state.version(), state.notice());
        });
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a room", description = "For good, its record included; everyone in it is "
            + "disconnected (close code 4404).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No facilitator key")
    @APIResponse(responseCode = "403", description = "Not this room's facilitator key")
    @APIResponse(responseCode = "404", description = "No such room")
    @APIResponse(responseCode = "429", description = "Too many writes from this network address; see Retry-After")
    @Parameter(name = ImportResource.KEY_HEADER, in = ParameterIn.HEADER, required = true,
            description = "The room's facilitator key")
    public Uni<Response> delete(@PathParam("id") String id,
            @HeaderParam(ImportResource.KEY_HEADER) String facilitatorKey) {
        if (facilitatorKey == null || facilitatorKey.isBlank()) {
            throw new ApiException(401, "missing_key", "Send the facilitator key in the "
                    + ImportResource.KEY_HEADER + " header.");
        }
        return rooms.find(id).flatMap(room -> {
            if (room == null) {
                throw new ApiException(404, "room_not_found", "This room does not exist.");
            }
            if (!Secrets.matches(facilitatorKey, room.state().facilitatorKeyHash())) {
                throw new ApiException(403, "invalid_key", "That facilitator key is not this room's.");
            }
            return rooms.submit(id, new RoomCommand.DeleteRoom(), Actor.SYSTEM, null);
        }).map(outcome -> {
            if (outcome instanceof CommandOutcome.Rejected rejected) {
                // Deleted by someone else meanwhile.
                throw new ApiException(404, "room_not_found", rejected.message());
            }
            return Response.noContent().build();
        });
    }

    @GET
    @Path("/{id}/items/{itemId}/rounds")
    @Operation(summary = "Every revealed round of an item",
            description = "A snapshot shows an item's last 3 rounds; this gives them all, oldest first.")
    @APIResponse(responseCode = "404", description = "No such room or item")
    public Uni<List<RoundView>> rounds(@PathParam("id") String id, @PathParam("itemId") String itemId) {
        return rooms.find(id).map(room -> {
            if (room == null) {
                throw new ApiException(404, "room_not_found", "This room does not exist.");
            }
            return room.state().item(itemId).map(ItemView::allRounds)
                    .orElseThrow(() -> new ApiException(404, "unknown_item", "This room has no such item."));
        });
    }

    private static Deck deck(JsonNode deck) {
        if (deck == null || deck.isNull()) {
            return Decks.FIBONACCI;
        }
        if (deck.isTextual()) {
            return Decks.builtIn(deck.asText()).orElseThrow(() -> new InvalidInputException("invalid_deck",
                    "Unknown deck \"" + Text.echoed(deck.asText()) + "\"; see GET /api/decks, or send {\"cards\": [...]}."));
        }
        JsonNode cards = deck.get("cards");
        if (!deck.isObject() || cards == null || !cards.isArray()) {
            throw new InvalidInputException("invalid_deck", "A custom deck is {\"cards\": [\"1\", \"2\", ...]}.");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode card : cards) {
            if (!card.isTextual()) {
                throw new InvalidInputException("invalid_deck", "Each card is a string.");
            }
            values.add(card.asText());
        }
        return Decks.custom(values);
    }
}
