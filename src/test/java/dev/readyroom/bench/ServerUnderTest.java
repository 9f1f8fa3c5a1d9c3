package dev.readyroom.bench;

/** What one target starts: the processes it stops on close, and what the generator drives and measures. */
interface ServerUnderTest extends AutoCloseable {
    LoadGenerator.Target target();
}
