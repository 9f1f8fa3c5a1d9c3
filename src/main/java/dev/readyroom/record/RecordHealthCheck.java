package dev.readyroom.record;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The record's state in readiness. Always UP: voting goes on while PostgreSQL is down, so the
 * service stays in the load balancer; {@code record} says {@code degraded} and how much waits.
 */
@Readiness
@ApplicationScoped
public class RecordHealthCheck implements HealthCheck {
    private final RecordStatus status;
    private final RecordOutbox outbox;

    public RecordHealthCheck(RecordStatus status, RecordOutbox outbox) {
        this.status = status;
        this.outbox = outbox;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("record").up()
                .withData("record", status.degraded() ? "degraded" : "ok")
                .withData("backlog", outbox.backlog());
        if (status.degraded()) {
            response.withData("error", status.lastError())
                    .withData("failingSince", String.valueOf(status.failingSince()));
        }
        return response.build();
    }
}
