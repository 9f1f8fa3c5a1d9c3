package dev.readyroom.admission;

import dev.readyroom.config.ReadyRoomConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command rate of each participant, across all their connections: a client that reconnects
 * with its resume token gets a fresh connection, not a fresh allowance. A participant is
 * forgotten once their burst is whole again.
 */
@ApplicationScoped
public class ParticipantRates {
    private final Map<String, RateLimiter> byParticipant = new ConcurrentHashMap<>();
    private final int burst;
    private final int perSecond;

    public ParticipantRates(ReadyRoomConfig config) {
        this.burst = config.limits().messageBurst();
        this.perSecond = config.limits().messagesPerSecond();
    }

    /** Whether {@code participantId} of {@code roomId} may give one more command now. */
    public boolean tryAcquire(String roomId, String participantId) {
        long now = System.nanoTime();
        return byParticipant.computeIfAbsent(roomId + "/" + participantId, key -> new RateLimiter(burst, perSecond, now))
                .tryAcquire(now);
    }

    @Scheduled(every = "60s", delayed = "60s")
    void forgetIdle() {
        long now = System.nanoTime();
        for (String key : byParticipant.keySet()) {
            byParticipant.computeIfPresent(key, (k, limiter) -> limiter.full(now) ? null : limiter);
        }
    }
}
