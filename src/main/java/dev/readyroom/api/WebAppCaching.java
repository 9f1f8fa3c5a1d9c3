package dev.readyroom.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web app's index page must be revalidated on every load, or a browser keeps an old page that
 * points at asset files a deploy removed; only the hashed files under /assets are immutable.
 */
@ApplicationScoped
public class WebAppCaching {

    void install(@Observes Router router) {
        router.route().order(-100).handler(context -> {
            String path = context.normalizedPath();
            if (!path.startsWith("/assets/") && !path.startsWith("/api/") && !path.startsWith("/q/")
                    && !path.startsWith("/ws/")) {
                context.addHeadersEndHandler(ignored -> context.response().headers().set("Cache-Control", "no-cache"));
            }
            context.next();
        });
    }
}
