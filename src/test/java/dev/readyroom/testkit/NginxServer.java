package dev.readyroom.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx run as a child process on a configuration generated from a shipped one: only the
 * upstream servers' addresses, the listen address and the paths nginx must write (pid, logs, temp
 * files, under a temporary prefix) change, so every proxying directive is tested as shipped. A
 * shipped file that no longer has what is rewritten fails loudly rather than being run half changed.
 */
public final class NginxServer implements AutoCloseable {
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*server\\s+)([A-Za-z0-9.-]+):(\\d+)\\b");
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*listen\\s+)(\\d+)(\\s*;)");
    private static final Pattern HTTP_BLOCK = Pattern.compile("(?m)^http\\s*\\{\\s*$");

    private final int port;
    private final Path prefix;
    private final Path config;
    private final ChildProcess process;

    private NginxServer(int port, Path prefix, Path config) throws IOException {
        this.port = port;
        this.prefix = prefix;
        this.config = config;
        this.process = new ChildProcess("nginx on port " + port, List.of(nginx(), "-p", prefix + "/", "-c",
                config.toString(), "-g", "daemon off;"), prefix.resolve("nginx.log"));
    }

    /**
     * nginx on {@code port} of 127.0.0.1 with {@code shipped} rewritten: each upstream server
     * {@code host:port} goes to {@code 127.0.0.1:upstreams.get(host)}; every host must be mapped,
     * and every mapping used. Started, and answering {@code readyPath} with 200 through the proxy.
     */
    public static NginxServer started(Path shipped, Map<String, Integer> upstreams, int port, String readyPath)
            throws IOException, InterruptedException {
        Path prefix = Files.createTempDirectory("readyroom-nginx");
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, localConfig(Files.readString(shipped), upstreams, port, prefix));
        NginxServer server = new NginxServer(port, prefix, config);
        try {
            server.process.start();
            server.process.awaitHealthy(URI.create(server.http() + readyPath), Duration.ofSeconds(20));
            return server;
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
    }

    /** The shipped configuration with the local addresses and a writable prefix; see {@link #started}. */
    public static String localConfig(String shipped, Map<String, Integer> upstreams, int port, Path prefix) {
        Set<String> used = new HashSet<>();
        StringBuilder out = new StringBuilder();
        Matcher server = UPSTREAM_SERVER.matcher(shipped);
        while (server.find()) {
            String host = server.group(2);
            Integer local = upstreams.get(host);
            if (local == null) {
                throw new IllegalArgumentException("The shipped nginx.conf has upstream server " + host
                        + ", which the test does not start: " + server.group());
            }
            used.add(host);
            server.appendReplacement(out, Matcher.quoteReplacement(server.group(1) + "127.0.0.1:" + local));
        }
        server.appendTail(out);
        if (!used.equals(upstreams.keySet())) {
            throw new IllegalArgumentException("The shipped nginx.conf's upstream servers are " + used
                    + ", not " + upstreams.keySet());
        }
        String text = replaceOnce(LISTEN, out.toString(), "listen", m -> m.group(1) + "127.0.0.1:" + port + m.group(3));
        // Debian's nginx writes its pid, logs and temp files under /run and /var: a prefix of the test's instead.
        String writable = String.join("\n",
                "    access_log " + prefix.resolve("access.log") + ";",
                "    client_body_temp_path " + prefix.resolve("body") + ";",
                "    proxy_temp_path " + prefix.resolve("proxy") + ";",
                "    fastcgi_temp_path " + prefix.resolve("fastcgi") + ";",
                "    uwsgi_temp_path " + prefix.resolve("uwsgi") + ";",
                "    scgi_temp_path " + prefix.resolve("scgi") + ";");
        text = replaceOnce(HTTP_BLOCK, text, "http {", m -> m.group() + "\n" + writable);
        // As root, nginx's workers would run as nobody, who cannot enter the test's temporary prefix.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        return user + "pid " + prefix.resolve("nginx.pid") + ";\nerror_log stderr notice;\n" + text;
    }

    private static String replaceOnce(Pattern pattern, String text, String what,
            java.util.function.Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalArgumentException("The shipped nginx.conf has no " + what);
        }
        String result = text.substring(0, matcher.start()) + replacement.apply(matcher) + text.substring(matcher.end());
        if (matcher.find()) {
            throw new IllegalArgumentException("The shipped nginx.conf has more than one " + what);
        }
        return result;
    }

    /** Debian's nginx, in /usr/sbin (not on a normal user's PATH). */
    private static String nginx() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "nginx";
    }

    public int port() {
        return port;
    }

    public String http() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri() {
        return URI.create(http());
    }

    /** The generated configuration, for a failing test's message. */
    public Path config() {
        return config;
    }

    /** nginx's access log: one line per request, with the status it answered. */
    public Path accessLog() {
        return prefix.resolve("access.log");
    }

    /** Stops nginx (SIGTERM: a fast shutdown). The prefix stays for a failing test's logs. */
    @Override
    public void close() throws InterruptedException {
        process.stop(Duration.ofSeconds(10));
    }
}
