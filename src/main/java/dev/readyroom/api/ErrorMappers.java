package dev.readyroom.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.readyroom.domain.InvalidInputException;
import dev.readyroom.live.LiveStoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every REST failure becomes an {@link ApiError}; details go to the log, never to the client. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return error(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return error(400, e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(400, "malformed", "The request body is not valid JSON of the expected shape.");
    }

    @ServerExceptionMapper
    public Response unavailable(LiveStoreUnavailableException e) {
        return Response.status(503).header("Retry-After", "1").type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("unavailable", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 404) {
            return error(404, "not_found", "There is nothing at this address.");
        }
        if (status == 405) {
            return error(405, "method_not_allowed", "This address does not take that method.");
        }
        if (status == 415) {
            return error(415, "unsupported_media_type", uri.getPath().endsWith("/items/import")
                    ? "Send the file as CSV or plain text (Content-Type: text/csv or text/plain)."
                    : "Send JSON (Content-Type: application/json).");
        }
        if (status >= 500) {
            LOG.error("Request failed", e);
            return error(status, "internal", "Something went wrong on our side.");
        }
        if (status == 400) {
            return error(400, "malformed", "The request body is not valid JSON of the expected shape.");
        }
        return error(status, "bad_request", "The request is not valid.");
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return error(500, "internal", "Something went wrong on our side.");
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(code, message)).build();
    }
}
