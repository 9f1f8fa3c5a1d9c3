package dev.readyroom.record;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * io.zonky's PostgreSQL binaries, remembering where io.zonky unpacks them ({@code PG-<MD5 of the
 * archive>} in its working directory): the data directory is set up with {@code postgres --single}
 * before io.zonky starts the server, and io.zonky tells nobody the path. One instance per start,
 * since io.zonky caches the unpacked directory per resolver.
 */
final class EmbeddedBinaries implements PgBinaryResolver {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path workingDirectory;
    private volatile Path directory;

    private EmbeddedBinaries(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /**
     * Unpacked into a directory of the service's user that nobody else may enter. io.zonky's own,
     * {@code /tmp/embedded-pg}, is writable by every user, who could swap the binaries the service
     * runs. One that exists and belongs to someone else stops the start: it is never used.
     */
    static EmbeddedBinaries unpackedPrivately() throws IOException {
        String user = System.getProperty("user.name");
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), "ready-room-postgres-" + user);
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException kept) {
            boolean ours = Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                    && Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName().equals(user);
            if (!ours) {
                throw new IOException(directory + " is not a directory of user " + user
                        + "; remove it, or start with another -Djava.io.tmpdir");
            }
        }
        EmbeddedBinaries binaries = new EmbeddedBinaries(directory);
        binaries.keepPrivate();
        return binaries;
    }

    /**
     * io.zonky adds write permission for everyone to its working directory at each start (without
     * search permission it grants nothing): taken back once it has.
     */
    void keepPrivate() throws IOException {
        Files.setPosixFilePermissions(workingDirectory, OWNER_ONLY);
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
