package norsearch;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A local OpenSearch cluster of N nodes in one JVM, for tests and trials.
 *
 * No OpenSearch distribution is installed: the server jar and the three modules we need come
 * from Maven Central and are passed to {@link Node}'s protected constructor as classpath plugins
 * (as the test framework's MockNode does). Each node has its own home and data folder under DIR,
 * HTTP on 127.0.0.1:HTTP_PORT+i and transport on 127.0.0.1:TRANSPORT_PORT+i.
 *
 * Usage: java -cp ... norsearch.LocalCluster DIR [NODES] [HTTP_PORT] [TRANSPORT_PORT]
 *
 * Prints "green http://127.0.0.1:PORT" once the cluster is green, then reads commands on
 * stdin, one a line: "stop I" closes node I (as a failing machine would vanish),
 * "start I" starts it again, "quit" (or end of input) stops the cluster. Each command is
 * answered on stdout with "ok COMMAND" or "error REASON"; the server's logs go to stderr.
 */
public final class LocalCluster {

    /** The modules a stock distribution ships that we need: HTTP/transport, analysis, painless. */
    static final class ClusterNode extends Node {
        ClusterNode(Environment environment) {
            super(environment, List.<Class<? extends Plugin>>of(
                Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class), true);
        }
    }

    private final Path dir;
    private final int nodes;
    private final int httpPort;
    private final int transportPort;
    private final Node[] running;

    LocalCluster(Path dir, int nodes, int httpPort, int transportPort) {
        this.dir = dir;
        this.nodes = nodes;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.running = new Node[nodes];
    }

    private Settings settings(int i) {
        List<String> seeds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < nodes; j++) {
            seeds.add("127.0.0.1:" + (transportPort + j));
            names.add("node-" + j);
        }
        Path home = dir.resolve("node-" + i);
        return Settings.builder()
            .put("cluster.name", "norsearch-local")
            .put("node.name", "node-" + i)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort + i)
            .put("transport.port", transportPort + i)
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", names)
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("logger.level", "ERROR")
            .build();
    }

    /** Starts node I unless it runs; not under the lock, since a node waits for the others to form a cluster. */
    void start(int i) throws Exception {
        synchronized (this) {
            if (running[i] != null) return;
        }
        Settings settings = settings(i);
        Files.createDirectories(Path.of(settings.get("path.home"), "config"));
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), null, () -> settings.get("node.name"));
        Node node;
        synchronized (LocalCluster.class) {
            // One node at a time: painless loads its allowlists into shared state, and two nodes
            // built at once failed with a ConcurrentModificationException in java.util.txt.
            node = new ClusterNode(env);
        }
        node.start();
        synchronized (this) {
            running[i] = node;
        }
    }

    synchronized void stop(int i) throws Exception {
        Node node = running[i];
        if (node == null) return;
        running[i] = null;
        node.close();
        node.awaitClose(30, TimeUnit.SECONDS);
    }

    synchronized Node any() {
        for (Node n : running) if (n != null) return n;
        throw new IllegalStateException("no node is running");
    }

    void waitForGreen() {
        any().client().admin().cluster().prepareHealth()
            .setWaitForGreenStatus().setWaitForNodes(Integer.toString(nodes))
            .setTimeout(TimeValue.timeValueMinutes(5)).get();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LocalCluster DIR [NODES] [HTTP_PORT] [TRANSPORT_PORT]");
            System.exit(2);
        }
        // stdout carries only the answers below; the server's logs go to stderr.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        // Several nodes in one JVM: Netty may set the available processors only once.
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(Settings.builder().put("logger.level", "ERROR").build());
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int http = args.length > 2 ? Integer.parseInt(args[2]) : 9200;
        int transport = args.length > 3 ? Integer.parseInt(args[3]) : 9300;
        LocalCluster cluster = new LocalCluster(Path.of(args[0]).toAbsolutePath(), nodes, http, transport);
        long t0 = System.nanoTime();
        Thread[] starters = new Thread[nodes];
        Map<Integer, Exception> errors = Collections.synchronizedMap(new HashMap<>());
        for (int i = 0; i < nodes; i++) {
            final int n = i;
            starters[i] = new Thread(() -> {
                try { cluster.start(n); } catch (Exception e) { errors.put(n, e); }
            });
            starters[i].start();
        }
        for (Thread t : starters) t.join();
        if (!errors.isEmpty()) {
            errors.values().iterator().next().printStackTrace();
            System.exit(1);
        }
        cluster.waitForGreen();
        out.printf("green http://127.0.0.1:%d (%d nodes, %.1f s)%n", http, nodes, (System.nanoTime() - t0) / 1e9);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopAll));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "stop": cluster.stop(Integer.parseInt(words[1])); break;
                    case "start": cluster.start(Integer.parseInt(words[1])); break;
                    case "quit": System.exit(0); break;
                    case "": continue;
                    default: out.println("error unknown command " + Arrays.toString(words)); continue;
                }
                out.println("ok " + line.trim());
            } catch (Exception e) {
                out.println("error " + e);
            }
        }
        System.exit(0);
    }

    private void stopAll() {
        for (int i = 0; i < nodes; i++) {
            try { stop(i); } catch (Exception e) { System.err.println("stopping node-" + i + ": " + e); }
        }
    }
}
