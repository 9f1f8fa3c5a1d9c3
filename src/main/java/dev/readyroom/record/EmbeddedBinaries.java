package dev.readyroom.record;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * io.zonky's PostgreSQL binaries, remembering where io.zonky unpacks them ({@code PG-<MD5 of the
 * archive>} in its working directory): the data directory is set up with {@code postgres --single}
 * before io.zonky starts the server, and io.zonky tells nobody the path. One instance per start,
 * since io.zonky caches the unpacked directory per resolver.
 */
final class EmbeddedBinaries implements PgBinaryResolver {
    private final Path workingDirectory;
    private volatile Path directory;

    EmbeddedBinaries(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
            if (in == null) {
                throw new IOException("No PostgreSQL binaries for " + system + " " + machineHardware);
            }
            archive = in.readAllBytes();
        }
        try {
            directory = workingDirectory.resolve("PG-" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(archive)));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        return new ByteArrayInputStream(archive);
    }

    /** The {@code postgres} executable, once io.zonky asked for the archive. */
    Path postgres() {
        if (directory == null) {
            throw new IllegalStateException("io.zonky has not unpacked its binaries yet");
        }
        return directory.resolve("bin").resolve("postgres");
    }
}
