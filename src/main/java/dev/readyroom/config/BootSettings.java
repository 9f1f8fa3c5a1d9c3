package dev.readyroom.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Settings read before Quarkus starts (the embedded database starts first), where no
 * configuration mapping exists yet: a system property, else its environment variable
 * ({@code readyroom.record.data-dir} as {@code READYROOM_RECORD_DATA_DIR}).
 */
public final class BootSettings {
    private BootSettings() {
    }

    public static Optional<String> get(String name) {
        String property = System.getProperty(name);
        if (property != null && !property.isBlank()) {
            return Optional.of(property);
        }
        String env = System.getenv(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
    }
}
