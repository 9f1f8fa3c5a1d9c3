package dev.readyroom.realtime;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.RoomService;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.vertx.core.http.HttpServerRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;

/**
 * Refuses a room socket before the upgrade: a browser {@code Origin} that is neither this service
 * nor allowed by configuration (cross-site WebSocket hijacking), a room that does not exist, or
 * any room while this node is stopping.
 */
@ApplicationScoped
public class UpgradeCheck implements HttpUpgradeCheck {
    private final RoomService rooms;
    private final List<String> allowedOrigins;

    public UpgradeCheck(RoomService rooms, ReadyRoomConfig config) {
        this.rooms = rooms;
        this.allowedOrigins = config.websocket().allowedOrigins().orElse(List.of()).stream()
                .map(UpgradeCheck::normalize).toList();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (!rooms.takingChanges()) {
            // Stopping: the client's reconnect goes to another node, or here again after the restart.
            return CheckResult.rejectUpgrade(503);
        }
        if (!originAllowed(context.httpRequest())) {
            return CheckResult.rejectUpgrade(403);
        }
        String roomId = context.pathParam("roomId");
        if (roomId == null || roomId.length() > 64) {
            return CheckResult.rejectUpgrade(404);
        }
        return rooms.find(roomId).flatMap(room -> room == null ? CheckResult.rejectUpgrade(404)
                : CheckResult.permitUpgrade());
    }

    boolean originAllowed(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            // Not a browser: Origin protects browsers from other sites, it is no authentication.
            return true;
        }
        if (allowedOrigins.contains("*")) {
            return true;
        }
        String normalized = normalize(origin);
        if (allowedOrigins.contains(normalized)) {
            return true;
        }
        String host = request.getHeader("Host");
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(normalized);
            String originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host.equalsIgnoreCase(originHost) || host.equalsIgnoreCase(uri.getHost() + ":" + defaultPort(uri))
                    || originHost.equalsIgnoreCase(host + ":" + defaultPort(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int defaultPort(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
