package dev.readyroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import dev.readyroom.record.CsvExport;
import dev.readyroom.record.MarkdownExport;
import dev.readyroom.record.RoomExport;
import dev.readyroom.record.RecordRoomRebuilder;
import dev.readyroom.record.RoomHistoryRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The refined backlog of a room, from the durable record (docs/record.md): every revealed vote and
 * every name, so only for the facilitator (the key) or someone in the room now (their resume token).
 */
@Path("/rooms/{id}/export")
public class ExportResource {
    static final String TOKEN_HEADER = "X-Participant-Token";

    private final RoomHistoryRepository history;
    private final RecordRoomRebuilder rebuilder;
    private final ObjectMapper mapper;
    private final RoomService rooms;

    public ExportResource(RoomHistoryRepository history, ObjectMapper mapper, RoomService rooms,
            RecordRoomRebuilder rebuilder) {
        this.rebuilder = rebuilder;
        this.history = history;
        this.mapper = mapper;
        this.rooms = rooms;
    }

    @GET
    @Operation(summary = "Export a room's refined backlog",
            description = "Each item with its settled estimate, rounds, vote distribution, flags and readiness.")
    @APIResponse(responseCode = "200", description = "text/csv, application/json or text/markdown")
    @APIResponse(responseCode = "400", description = "Unknown format")
    @APIResponse(responseCode = "401", description = "Neither the facilitator key nor a participant token")
    @APIResponse(responseCode = "403", description = "Not this room's key, nor the token of someone in it")
    @APIResponse(responseCode = "404", description = "The record knows no such room")
    @APIResponse(responseCode = "503", description = "The record is not reachable")
    public Uni<Response> export(@PathParam("id") String id,
            @Parameter(description = "csv, json or md") @QueryParam("format") String format,
            @Parameter(description = "The room's facilitator key") @HeaderParam(ImportResource.KEY_HEADER) String key,
            @Parameter(description = "The resume token of someone in the room") @HeaderParam(TOKEN_HEADER)
            String token) {
        String chosen = format == null ? "json" : format;
        if (!chosen.equals("csv") && !chosen.equals("json") && !chosen.equals("md")) {
            throw new ApiException(400, "invalid_format", "The export format is csv, json or md.");
        }
        if (blank(key) && blank(token)) {
            throw new ApiException(401, "missing_key", "Send the facilitator key (" + ImportResource.KEY_HEADER
                    + ") or your participant token (" + TOKEN_HEADER + ").");
        }
        return history.find(id)
                .onFailure().transform(e -> new ApiException(503, "record_unavailable",
                        "The record is not reachable right now; try again shortly."))
                .call(found -> {
                    if (found == null) {
                        throw new ApiException(404, "room_not_found", "The record knows no such room.");
                    }
                    return mayRead(found.room().facilitatorKeyHash, id, key, token).invoke(allowed -> {
                        if (!allowed) {
                            throw new ApiException(403, "invalid_key",
                                    "That is neither this room's facilitator key nor the token of someone in it.");
                        }
                    });
                })
                .map(found -> {
                    RoomExport export = RoomExport.of(found, rebuilder.stateOf(found), mapper,
                            OffsetDateTime.now(ZoneOffset.UTC));
                    return switch (chosen) {
                        case "csv" -> file(CsvExport.write(export), "text/csv; charset=UTF-8; header=present",
                                export, "csv");
                        case "md" -> file(MarkdownExport.write(export), "text/markdown; charset=UTF-8", export, "md");
                        default -> file(export, "application/json", export, "json");
                    };
                });
    }

    /** The facilitator's key, or the token of someone in the room as it lives now. */
    private Uni<Boolean> mayRead(String keyHash, String roomId, String key, String token) {
        if (!blank(key) && Secrets.matches(key, keyHash)) {
            return Uni.createFrom().item(true);
        }
        if (blank(token)) {
            return Uni.createFrom().item(false);
        }
        String tokenHash = Secrets.hash(token);
        return rooms.store().load(roomId)
                .map(room -> room != null && room.state().participantByTokenHash(tokenHash).isPresent());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Response file(Object body, String type, RoomExport export, String extension) {
        String name = export.name().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + (name.isEmpty() ? "room" : name)
                        + "." + extension + "\"")
                .build();
    }
}
