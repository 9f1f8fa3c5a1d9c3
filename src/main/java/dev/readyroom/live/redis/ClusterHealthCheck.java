package dev.readyroom.live.redis;

import dev.readyroom.config.ClusterConfig;
import dev.readyroom.live.LiveMode;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready in cluster mode only while Redis takes a write within a short time and the node is
 * subscribed to its rooms' events: a load balancer then sends no new clients to a node that could
 * not serve them.
 */
@Readiness
@ApplicationScoped
public class ClusterHealthCheck implements AsyncHealthCheck {
    private static final String NAME = "live-cluster";

    private final LiveMode mode;
    private final Instance<ClusterLive> cluster;
    private final ClusterConfig config;

    public ClusterHealthCheck(LiveMode mode, Instance<ClusterLive> cluster, ClusterConfig config) {
        this.mode = mode;
        this.cluster = cluster;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!mode.cluster()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("mode", "standalone").build());
        }
        return cluster.get().probe()
                .ifNoItem().after(config.probeTimeout()).fail()
                .map(ignored -> HealthCheckResponse.named(NAME).up().withData("mode", "cluster").build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down().withData("mode", "cluster")
                        .withData("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        .build());
    }
}
