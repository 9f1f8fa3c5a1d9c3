package dev.readyroom.realtime;

import dev.readyroom.admission.AddressLimits;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.RoomService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Refuses a room socket before the upgrade: a browser {@code Origin} that is neither this service
 * nor allowed by configuration (cross-site WebSocket hijacking), an address over its socket or
 * upgrade limits ({@link AddressLimits}, 429 with Retry-After), a room that does not exist, or any
 * room while this node is stopping.
 */
@ApplicationScoped
public class UpgradeCheck implements HttpUpgradeCheck {
    private final RoomService rooms;
    private final List<String> allowedOrigins;
    private final AddressLimits addresses;
    private final MeterRegistry metrics;

    public UpgradeCheck(RoomService rooms, ReadyRoomConfig config, AddressLimits addresses, MeterRegistry metrics) {
        this.rooms = rooms;
        this.addresses = addresses;
        this.metrics = metrics;
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
        AddressLimits.Refusal refusal = addresses.admitUpgrade(hostOf(context.httpRequest()));
        if (refusal != null) {
            metrics.counter("readyroom.upgrades.refused", "reason", refusal.reason()).increment();
            return CheckResult.rejectUpgrade(429,
                    Map.of("Retry-After", List.of(Long.toString(refusal.retryAfterSeconds()))));
        }
        String roomId = context.pathParam("roomId");
        if (roomId == null || roomId.length() > 64) {
            return CheckResult.rejectUpgrade(404);
        }
        return rooms.find(roomId).flatMap(room -> room == null ? CheckResult.rejectUpgrade(404)
                : CheckResult.permitUpgrade());
    }

    private static String hostOf(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
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
