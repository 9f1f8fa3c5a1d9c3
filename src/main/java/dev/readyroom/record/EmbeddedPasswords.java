package dev.readyroom.record;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded PostgreSQL's passwords, made once from {@link SecureRandom} and kept in its data
 * directory, readable by their owner only: the superuser's, used only to set the database up, and
 * the service role's.
 */
record EmbeddedPasswords(String superuser, String service) {
    static final String FILE = "readyroom-passwords.properties";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    static EmbeddedPasswords generate() {
        return new EmbeddedPasswords(random(), random());
    }

    /** The kept passwords; their file is set back to owner-only should anything have widened it. */
    static Optional<EmbeddedPasswords> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        String superuser = properties.getProperty(EmbeddedAccess.SUPERUSER);
        String service = properties.getProperty(EmbeddedAccess.SERVICE_ROLE);
        if (superuser == null || service == null) {
            throw new IOException(file + " lacks a password; restore it from a backup of the data directory");
        }
        return Optional.of(new EmbeddedPasswords(superuser, service));
    }

    /** Writes the file whole or not at all: created owner-only, synced, then moved into place. */
    void write(Path dataDir) throws IOException {
        Path partial = dataDir.resolve(FILE + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.setPosixFilePermissions(partial, OWNER_ONLY);
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8);
            writer.write("# The embedded PostgreSQL's passwords (scram-sha-256). " + EmbeddedAccess.SUPERUSER
                    + ": its superuser, for setup only; " + EmbeddedAccess.SERVICE_ROLE + ": the service's role.\n");
            writer.write(EmbeddedAccess.SUPERUSER + "=" + superuser + "\n");
            writer.write(EmbeddedAccess.SERVICE_ROLE + "=" + service + "\n");
            writer.flush();
            channel.force(true);
        }
        Files.move(partial, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /** 256 random bits, URL-safe Base64: no character that needs quoting in SQL or a URL. */
    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "EmbeddedPasswords[hidden]";
    }
}
