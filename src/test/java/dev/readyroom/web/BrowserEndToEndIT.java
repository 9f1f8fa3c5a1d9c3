package dev.readyroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web app in headless Chromium against the packaged service: facilitator on a desktop
 * viewport, voters on phones, a refinement of four items (one settled above the sprint maximum and
 * split, the backlog reordered, an unknown resolved with a note, the runway) driven from the sticky
 * facilitator bar, the confirmation before hidden votes are lost, the outcome every voter sees, the
 * deck's scale with its gaps, votes typed by card label, a Jira CSV imported through the app (a bad
 * line named, then a preview), quick rounds (Enter after Quick round reveals; 21 and ? is no
 * consensus), the session summary with the CSV, JSON and Markdown exports downloaded, a second tab
 * of the same browser, offline and reload, a removed voter kept out until let back in, the room
 * deleted under everyone, then a meeting in a room of its own (two phones pre-vote, the
 * facilitator's agenda puts the divergent item first, the round adopts the pre-votes, a 1-minute
 * timebox with the same end on both phones, notes by the facilitator and a scribe, a settle, a
 * consensus settled after revealing its pre-votes, the Markdown export with the notes, the
 * facilitator role taken back with the key), accessibility at both sizes in light and dark and at
 * 320 px, screenshots (frontend/e2e/run.mjs, driven by playwright-core with Debian's Chromium).
 */
@QuarkusIntegrationTest
class BrowserEndToEndIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void teamsPlayRoundsInTheBrowser() throws Exception {
        assertThat(CHROMIUM).as("Chromium is needed for the browser tests: apt-get install -y chromium").exists();
        String baseUrl = "http://localhost:" + RestAssured.port;
        Path screenshots = Path.of("target", "e2e-screenshots").toAbsolutePath();
        Files.createDirectories(screenshots);
        Path log = Path.of("target", "e2e.log");

        ProcessBuilder browserRun = new ProcessBuilder("node", "e2e/run.mjs")
                .directory(new File("frontend"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        browserRun.environment().put("BASE_URL", baseUrl);
        browserRun.environment().put("SCREENSHOT_DIR", screenshots.toString());
        Process node = browserRun.start();
        node.getOutputStream().close();
        boolean finished = node.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(finished).as("the browser run finished in time").isTrue();
        assertThat(node.exitValue()).as("browser run output:\n%s", output).isZero();
        assertThat(output).containsPattern("(?m)^\\d+ passed, 0 failed");
    }
}
