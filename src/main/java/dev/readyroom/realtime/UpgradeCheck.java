package dev.readyroom.realtime;

import dev.readyroom.admission.AddressLimits;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.RoomService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
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
    /** The origin of {@code readyroom.public-url}, or null to go by each request's scheme and Host. */
    private final URI ownOrigin;
    private final AddressLimits addresses;
    private final MeterRegistry metrics;

    public UpgradeCheck(RoomService rooms, ReadyRoomConfig config, AddressLimits addresses, MeterRegistry metrics) {
        this.rooms = rooms;
        this.addresses = addresses;
        this.metrics = metrics;
        this.allowedOrigins = config.websocket().allowedOrigins().orElse(List.of()).stream()
                .map(UpgradeCheck::normalize).toList();
        this.ownOrigin = config.publicUrl().map(url -> parse(origin(url))).orElse(null);
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
        AddressLimits.Refusal refusal = addresses.admitUpgrade(AddressLimits.hostOf(context.httpRequest()));
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

    /**
     * A browser's {@code Origin} must be this service's own, or configured. The service's own is
     * {@code readyroom.public-url} when set (so a rebound DNS name sending its own Host header does
     * not pass), else the request's scheme and Host; an https page is foreign to an http service.
     * Anything that is not an http(s) origin with a host ({@code null}, empty, malformed) is foreign.
     */
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
        URI page = parse(normalized);
        String host = request.getHeader("Host");
        URI own = ownOrigin != null ? ownOrigin : host == null ? null : parse(request.scheme() + "://" + host);
        return page != null && own != null && page.getScheme().equals(own.getScheme())
                && page.getHost().equalsIgnoreCase(own.getHost()) && port(page) == port(own);
    }

    /** An http(s) origin with a host, or null for anything else. */
    private static URI parse(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase();
            boolean web = "http".equals(scheme) || "https".equals(scheme);
            return web && uri.getHost() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                    && uri.getRawUserInfo() == null ? new URI(scheme, null, uri.getHost(), uri.getPort(), null, null,
                            null) : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** The scheme, host and port of a URL such as {@code https://rooms.example.com/app}. */
    private static String origin(String url) {
        try {
            URI uri = new URI(url.trim());
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("readyroom.public-url is not a URL: " + url, e);
        }
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
