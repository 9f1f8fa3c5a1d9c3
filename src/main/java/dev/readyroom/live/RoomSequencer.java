package dev.readyroom.live;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the commands of one room one after another on this node, so that a node never conflicts
 * with itself; different rooms run independently.
 */
public class RoomSequencer {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public <T> Uni<T> submit(String roomId, Supplier<Uni<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] previous = new CompletableFuture[1];
        tails.compute(roomId, (id, tail) -> {
            previous[0] = tail;
            return done;
        });
        Runnable finish = () -> {
            tails.remove(roomId, done);
            done.complete(null);
        };
        Runnable start = () -> {
            Uni<T> uni;
            try {
                uni = task.get();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                finish.run();
                return;
            }
            uni.subscribe().with(item -> {
                finish.run();
                result.complete(item);
            }, failure -> {
                finish.run();
                result.completeExceptionally(failure);
            });
        };
        if (previous[0] == null) {
            start.run();
        } else {
            previous[0].whenComplete((ignored, failure) -> start.run());
        }
        return Uni.createFrom().completionStage(result);
    }
}
