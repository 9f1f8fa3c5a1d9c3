package dev.readyroom;

import dev.readyroom.record.EmbeddedDatabase;
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
 * outbox drained, see {@link OrderlyStop}).
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
        // The stop's own work (connections, record) is OrderlyStop's: Quarkus's shutdown hook
        // stops the application beside this thread, and waits for that observer.
        Quarkus.waitForExit();
        return 0;
    }
}
