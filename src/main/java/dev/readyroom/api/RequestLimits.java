package dev.readyroom.api;

import dev.readyroom.admission.AddressLimits;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What is checked before a REST write's body is read: the address's write rate (room creation,
 * import, deletion: {@link AddressLimits}, past it 429 with Retry-After), and an import's facilitator key,
 * so that an import with a wrong key costs no more than its headers.
 */
public class RequestLimits {
    private static final Pattern IMPORT = Pattern.compile("/?(?:api/)?rooms/([^/]+)/items/import/?");

    private final AddressLimits addresses;
    private final RoomService rooms;
    private final MeterRegistry metrics;

    public RequestLimits(AddressLimits addresses, RoomService rooms, MeterRegistry metrics) {
        this.addresses = addresses;
        this.rooms = rooms;
        this.metrics = metrics;
    }

    @ServerRequestFilter
    public Uni<Response> beforeTheBody(ContainerRequestContext request, RoutingContext routing) {
        HttpServerRequest http = routing.request();
        if (!"POST".equals(request.getMethod()) && !"DELETE".equals(request.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        AddressLimits.Refusal refusal = addresses.admitWrite(AddressLimits.hostOf(http));
        if (refusal != null) {
            metrics.counter("readyroom.rest.writes.refused").increment();
            closeAfterAnswering(routing);
            return Uni.createFrom().item(Response.status(429)
                    .header("Retry-After", Long.toString(refusal.retryAfterSeconds()))
                    .type(MediaType.APPLICATION_JSON).entity(new ApiError("rate_limited", "Too many changes from "
                            + "your network; try again in " + refusal.retryAfterSeconds() + " s."))
                    .build());
        }
        Matcher importing = IMPORT.matcher(request.getUriInfo().getPath());
        if (!importing.matches()) {
            return Uni.createFrom().nullItem();
        }
        return facilitatorOnly(importing.group(1), request).invoke(refused -> {
            if (refused != null) {
                closeAfterAnswering(routing);
            }
        });
    }

    /**
     * A refused request's body is still on its way: reading it to the end to keep the connection
     * alive would cost the server as much as accepting it (a 10 MB upload refused in its first
     * bytes). Close the connection once the answer is out instead, as Quarkus does after a 413.
     */
    private static void closeAfterAnswering(RoutingContext routing) {
        HttpServerRequest http = routing.request();
        if (http.isEnded()) {
            return;
        }
        http.response().putHeader(HttpHeaders.CONNECTION, "close");
        routing.addEndHandler(ended -> http.connection().close());
    }

    /** Null when the request carries the room's facilitator key; else the answer that refuses it. */
    private Uni<Response> facilitatorOnly(String roomId, ContainerRequestContext request) {
        String key = request.getHeaderString(ImportResource.KEY_HEADER);
        if (key == null || key.isBlank()) {
            return refused(401, "missing_key", "Send the facilitator key in the " + ImportResource.KEY_HEADER
                    + " header.");
        }
        return rooms.find(roomId).flatMap(room -> {
            if (room == null) {
                return refused(404, "room_not_found", "This room does not exist.");
            }
            if (!Secrets.matches(key, room.state().facilitatorKeyHash())) {
                return refused(403, "invalid_key", "That facilitator key is not this room's.");
            }
            return Uni.createFrom().nullItem();
        });
    }

    private static Uni<Response> refused(int status, String code, String message) {
        return Uni.createFrom().item(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code, message)).build());
    }
}
