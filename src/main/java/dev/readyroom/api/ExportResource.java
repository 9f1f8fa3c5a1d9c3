package dev.readyroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.record.CsvExport;
import dev.readyroom.record.MarkdownExport;
import dev.readyroom.record.RoomExport;
import dev.readyroom.record.RoomHistoryRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The refined backlog of a room, from the durable record (docs/record.md). */
@Path("/rooms/{id}/export")
public class ExportResource {
    private final RoomHistoryRepository history;
    private final ObjectMapper mapper;

    public ExportResource(RoomHistoryRepository history, ObjectMapper mapper) {
        this.history = history;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "Export a room's refined backlog",
            description = "Each item with its settled estimate, rounds, vote distribution, flags and readiness.")
    @APIResponse(responseCode = "200", description = "text/csv, application/json or text/markdown")
    @APIResponse(responseCode = "400", description = "Unknown format")
    @APIResponse(responseCode = "404", description = "The record knows no such room")
    @APIResponse(responseCode = "503", description = "The record is not reachable")
    public Uni<Response> export(@PathParam("id") String id,
            @Parameter(description = "csv, json or md") @QueryParam("format") String format) {
        String chosen = format == null ? "json" : format;
        if (!chosen.equals("csv") && !chosen.equals("json") && !chosen.equals("md")) {
            throw new ApiException(400, "invalid_format", "The export format is csv, json or md.");
        }
        return history.find(id)
                .onFailure().transform(e -> new ApiException(503, "record_unavailable",
                        "The record is not reachable right now; try again shortly."))
                .map(found -> {
                    if (found == null) {
                        throw new ApiException(404, "room_not_found", "The record knows no such room.");
                    }
                    RoomExport export = RoomExport.of(found, mapper, OffsetDateTime.now(ZoneOffset.UTC));
                    return switch (chosen) {
                        case "csv" -> file(CsvExport.write(export), "text/csv; charset=UTF-8; header=present",
                                export, "csv");
                        case "md" -> file(MarkdownExport.write(export), "text/markdown; charset=UTF-8", export, "md");
                        default -> file(export, "application/json", export, "json");
                    };
                });
    }

    private static Response file(Object body, String type, RoomExport export, String extension) {
        String name = export.name().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + (name.isEmpty() ? "room" : name)
                        + "." + extension + "\"")
                .build();
    }
}
