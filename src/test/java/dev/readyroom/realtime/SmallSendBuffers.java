package dev.readyroom.realtime;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tests only: a fixed, small kernel send buffer per connection. Loopback sockets otherwise grow
 * theirs to megabytes, and SlowReaderTest would need that much traffic before the server's own
 * write queue for a client that stopped reading fills up.
 */
@ApplicationScoped
public class SmallSendBuffers implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setSendBufferSize(32 * 1024);
    }
}
