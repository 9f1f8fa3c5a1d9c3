package dev.readyroom;

import dev.readyroom.record.EmbeddedDatabase;
import dev.readyroom.record.InProcessRecordOutbox;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts Ready Room. With no datasource URL configured, an embedded PostgreSQL starts first, so
 * the service runs with nothing installed; it stops only after Quarkus stopped (and the record
 * outbox drained).
 */
@QuarkusMain
public class ReadyRoomMain implements QuarkusApplication {

    public static void main(String... args) {
        Optional<EmbeddedDatabase> database = EmbeddedDatabase.startIfNoDatasource();
        if (database.isEmpty()) {
            Quarkus.run(ReadyRoomMain.class, args);
            return;
        }
        CountDownLatch quarkusStopped = new CountDownLatch(1);
        // On SIGTERM Quarkus stops in its own shutdown hook; ours waits for it before stopping PostgreSQL.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                quarkusStopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            database.get().close();
        }, "embedded-postgres-stop"));
        Quarkus.run(ReadyRoomMain.class, (code, failure) -> {
            if (failure != null) {
                Logger.getLogger(ReadyRoomMain.class).error("Ready Room stopped", failure);
            }
            quarkusStopped.countDown();
            System.exit(code);
        }, args);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        // A head start, not a guarantee: Quarkus's shutdown hook stops the application at the same
        // time as this runs (Application.stop() right after waitForExit returns); the outbox's
        // ShutdownEvent observer waits for the same flush.
        Arc.container().instance(InProcessRecordOutbox.class).get().flushBeforeStop();
        return 0;
    }
}
