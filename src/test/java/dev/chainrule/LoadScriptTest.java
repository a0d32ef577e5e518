package dev.chainrule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/load.sh never measures someone else's server: it refuses a port that is taken, and fails when the service
 * it started is not the one answering, so it cannot load-test another server while its own jar fails (issue 15).
 */
class LoadScriptTest {

    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private Run load(int port, Path jar) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/load.sh", "scripts/bodies/cs224n.json", "1", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().remove("URL");
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("LOG", dir.resolve("service.log").toString());
        if (jar != null) {
            pb.environment().put("JAR", jar.toString());
        }
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "load.sh did not finish");
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void refusesToRunWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Run r = load(taken.getLocalPort(), null);
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("port " + taken.getLocalPort() + " is already in use"), r.output());
        }
    }

    @Test
    void failsWhenItsOwnServiceDoesNotStart() throws Exception {
        assumeTrue(onPath("wrk"), "wrk is not installed (apt-get install wrk): load.sh checks for it before starting the jar");
        Path broken = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        int port;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Run r = load(port, broken);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("the service exited before it was ready"), r.output());
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
