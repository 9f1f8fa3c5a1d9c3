package dev.readyroom.admission;

import dev.readyroom.config.ReadyRoomConfig;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one network address may hold and do: room sockets open at once, socket upgrades, and REST
 * writes (room creation, import), each in a burst refilled per second. A whole office behind one
 * NAT is one address, so the defaults fit a 100-person room behind one address reconnecting at
 * once, while a single client can take neither the node's file descriptors nor its room cap. An
 * address is forgotten once it holds no socket and its buckets are whole again.
 */
@ApplicationScoped
public class AddressLimits {
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private final ReadyRoomConfig.Limits limits;

    private final class Address {
        final AtomicInteger open = new AtomicInteger();
        final RateLimiter upgrades = new RateLimiter(limits.upgradesPerAddressBurst(),
                limits.upgradesPerAddressPerSecond(), System.nanoTime());
        final RateLimiter writes = new RateLimiter(limits.restWritesPerAddressBurst(),
                limits.restWritesPerAddressPerSecond(), System.nanoTime());

        boolean idle(long nowNanos) {
            return open.get() == 0 && upgrades.full(nowNanos) && writes.full(nowNanos);
        }
    }

    /** Why something is refused, and in how many seconds to try again. */
    public record Refusal(String reason, long retryAfterSeconds) {
    }

    public AddressLimits(ReadyRoomConfig config) {
        this.limits = config.limits();
    }

    /** Null when a socket from {@code host} may open now; else why not. */
    public Refusal admitUpgrade(String host) {
        long now = System.nanoTime();
        Address address = addresses.computeIfAbsent(host, key -> new Address());
        if (address.open.get() >= limits.socketsPerAddress()) {
            return new Refusal("sockets", 5);
        }
        if (!address.upgrades.tryAcquire(now)) {
            return new Refusal("upgrades", address.upgrades.secondsUntilNext(now));
        }
        return null;
    }

    /** Null when {@code host} may make a REST write (create a room, import) now; else why not. */
    public Refusal admitWrite(String host) {
        long now = System.nanoTime();
        Address address = addresses.computeIfAbsent(host, key -> new Address());
        return address.writes.tryAcquire(now) ? null : new Refusal("writes", address.writes.secondsUntilNext(now));
    }

    public void opened(String host) {
        addresses.computeIfAbsent(host, key -> new Address()).open.incrementAndGet();
    }

    public void closed(String host) {
        Address address = addresses.get(host);
        if (address != null) {
            address.open.decrementAndGet();
        }
    }

    @Scheduled(every = "60s", delayed = "60s")
    void forgetIdle() {
        long now = System.nanoTime();
        for (String host : addresses.keySet()) {
            addresses.computeIfPresent(host, (key, address) -> address.idle(now) ? null : address);
        }
    }

    /** The address a request comes from, as the limits count it. */
    public static String hostOf(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    /** The host part of Vert.x's {@code host:port} form of a socket address (IPv6 included). */
    public static String hostOf(String hostAndPort) {
        if (hostAndPort == null) {
            return "unknown";
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon > 0 ? hostAndPort.substring(0, colon) : hostAndPort;
    }
}
