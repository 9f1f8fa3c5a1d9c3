package dev.readyroom.api;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.RoomService;
import dev.readyroom.record.BacklogImport;
import dev.readyroom.record.ImportException;
import dev.readyroom.record.ImportedItem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Imports backlog items into a live room (docs/record.md): all or nothing, facilitator only. The
 * items go through the room's own commands, so everyone in the room sees them arrive.
 */
@Path("/rooms/{id}/items/import")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
    static final String KEY_HEADER = "X-Facilitator-Key";
    private static final int MAX_BYTES = 1024 * 1024;

    private final RoomService rooms;

    public ImportResource(RoomService rooms) {
        this.rooms = rooms;
    }

    public record ImportedItems(int imported, List<ItemRef> items) {
    }

    public record ItemRef(String id, String title) {
    }

    /** A dry run's answer: what the import would add, in file order, with nothing added. */
    public record ImportPreview(boolean dryRun, int count, List<ImportedItem> items) {
    }

    /** The error body of a refused import: the usual code and message, and where the file failed. */
    public record ImportError(String code, String message, int line, String column) {
    }

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Operation(summary = "Import backlog items",
            description = "CSV with a header row (Summary or Title; Description, Acceptance criteria, Issue key"
                    + " or URL are read, other columns ignored), or plain text with one item a line.")
    @APIResponse(responseCode = "200", description = "dryRun=true: the items the file would add; nothing added")
    @APIResponse(responseCode = "201", description = "Every item was added")
    @APIResponse(responseCode = "400", description = "The file is refused as a whole; line and column say where")
    @APIResponse(responseCode = "401", description = "No facilitator key")
    @APIResponse(responseCode = "403", description = "Not this room's facilitator key")
    @APIResponse(responseCode = "404", description = "No such room")
    @APIResponse(responseCode = "409", description = "The room would hold more than 500 items, or more than"
            + " 200,000 characters of backlog text")
    @APIResponse(responseCode = "413", description = "Over 1 MiB")
    @APIResponse(responseCode = "429", description = "Too many writes from this network address; see Retry-After")
    @Parameter(name = KEY_HEADER, in = ParameterIn.HEADER, required = true,
            description = "The room's facilitator key (checked before the body is read, by RequestLimits)")
    public Uni<Response> importItems(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = "true: check the file and answer what it would add, adding nothing")
            @QueryParam("dryRun") boolean dryRun, String body) {
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new ApiException(413, "too_large", "An import is at most 1 MiB.");
        }
        boolean csv = contentType != null && contentType.toLowerCase().startsWith("text/csv");
        return rooms.find(id).flatMap(room -> {
            if (room == null) {
                throw new ApiException(404, "room_not_found", "This room does not exist.");
            }
            List<ImportedItem> items = csv ? BacklogImport.fromCsv(body) : BacklogImport.fromText(body);
            if (room.state().items().size() + items.size() > RoomState.MAX_ITEMS) {
                throw new ApiException(409, "too_many_items", "The room has " + room.state().items().size()
                        + " items; with " + items.size() + " more it would exceed " + RoomState.MAX_ITEMS + ".");
            }
            int text = items.stream().mapToInt(ImportedItem::textLength).sum();
            if (room.state().backlogText() + text > RoomState.MAX_BACKLOG_TEXT) {
                throw new ApiException(409, "backlog_full", "The room's backlog has " + room.state().backlogText()
                        + " characters of text; with " + text + " more it would exceed " + RoomState.MAX_BACKLOG_TEXT
                        + ". Import fewer items, or shorter descriptions.");
            }
            if (dryRun) {
                return Uni.createFrom().item(Response.ok(new ImportPreview(true, items.size(), items)).build());
            }
            if (rooms.overLiveBudget()) {
                throw new ApiException(503, RoomService.NODE_FULL, RoomService.NODE_FULL_MESSAGE);
            }
            return add(id, items).map(added -> Response.status(201).entity(new ImportedItems(added.size(), added))
                    .build());
        });
    }

    /**
     * One command after the other. The room's rules check each again: if other changes filled the
     * room meanwhile, the import stops there, and says so.
     */
    private Uni<List<ItemRef>> add(String roomId, List<ImportedItem> items) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(item -> rooms.submit(roomId, new RoomCommand.ImportItem(
                        item.title(), item.description(), item.acceptanceCriteria(), item.reference()), Actor.SYSTEM,
                        null))
                .map(outcome -> {
                    if (!(outcome instanceof CommandOutcome.Committed committed)) {
                        throw new ApiException(409, "import_interrupted", "The room refused an item: "
                                + ((CommandOutcome.Rejected) outcome).message());
                    }
                    RoomState state = committed.room().state();
                    var item = state.items().get(state.items().size() - 1);
                    return new ItemRef(item.id(), item.title());
                })
                .collect().asList();
    }

    @ServerExceptionMapper
    public Response refused(ImportException e) {
        String where = "Line " + e.line() + (e.column() == null ? "" : ", column " + e.column());
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ImportError(e.code(), where + ": " + e.getMessage(), e.line(), e.column())).build();
    }
}
