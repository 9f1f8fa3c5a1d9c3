package dev.readyroom.live;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the live store answers a read. */
@Readiness
@ApplicationScoped
public class LiveHealthCheck implements AsyncHealthCheck {
    private final RoomStore store;

    public LiveHealthCheck(RoomStore store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.load("health-probe")
                // A hung store must make the check fail, not hang it.
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(ignored -> HealthCheckResponse.named("live-store").up().withData("rooms", store.roomCount())
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("live-store").down()
                        .withData("error", e.getClass().getSimpleName()).build());
    }
}
