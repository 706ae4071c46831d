package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.internal.server.FirewallingServer.FirewallingServerConnectionManager;
import com.hazelcast.test.Accessors;
import com.hazelcast.test.TestHazelcastInstanceFactory.FirewallingNodeContext;
import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.CheckpointStats;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.MemberView;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split-brain: a 3-node cluster is cut into a pair and the job master alone, which also runs the
 * whole job (parallelism 1 places every task on the oldest member). Only the pair, which has the
 * quorum of 2, may go on.
 *
 * <p>How the cluster is partitioned: the nodes are real Hazelcast members on loopback TCP, created
 * with Hazelcast's own test support ({@code hazelcast:tests}): a {@code FirewallingNodeContext}
 * wraps the default (real network) node context, so each member's server is a
 * {@code FirewallingServer} around the real TCP server. Blocking a pair of members (as Hazelcast's
 * {@code SplitBrainTestSupport.blockCommunicationBetween} does) closes their member connections
 * and refuses new ones (packets to a blocked address are dropped), which is what a network
 * partition looks like to Hazelcast: heartbeats stop and each side removes the other after the
 * 5 s heartbeat timeout. Unblocking lets the split-brain handler (every 5 s) find the other side
 * and merge the smaller cluster into the larger. Only Hazelcast's member traffic is cut (the
 * control plane travels on it); the data plane is not used by a job at parallelism 1.
 *
 * <p>What it shows: the isolated node cancels its execution within the failure-detection time and
 * commits no checkpoint the pair does not know of; the pair elects a master that restarts the job
 * from the latest committed checkpoint; after healing, the cluster merges back to 3 members, the
 * job finishes, and its exactly-once output equals the embedded cluster's failure-free run.
 */
class SplitBrainTest {
    private static final Logger LOG = LoggerFactory.getLogger(SplitBrainTest.class);
    private static final Pattern COMMITTED_PART = Pattern.compile("part-\\d+-(\\d+)\\.jsonl");
    private static final long EVENTS = 250_000;
    private static final long RATE = 10_000; // 25 s of events

    @TempDir
    Path dir;

    private final Map<TidemillNode, HazelcastInstance> members = new ConcurrentHashMap<>();

    /** Starts a node whose Hazelcast member sits behind a firewall this test controls. */
    private TidemillNode firewalledNode(io.tidemill.cluster.NodeConfig config) throws Exception {
        HazelcastInstance[] hz = new HazelcastInstance[1];
        TidemillNode node = TidemillNode.startForTest(config, (Config c) -> {
            hz[0] = HazelcastInstanceFactory.newHazelcastInstance(c, "tidemill-" + config.hazelcastPort(),
                    new FirewallingNodeContext(new DefaultNodeContext()));
            return hz[0];
        });
        members.put(node, hz[0]);
        return node;
    }

    /** The firewall in front of a member's real TCP connections to other members. */
    private static FirewallingServerConnectionManager firewall(HazelcastInstance hz) {
        return (FirewallingServerConnectionManager) Accessors.getNode(hz).getServer()
                .getConnectionManager(EndpointQualifier.MEMBER);
    }

    private static Address address(HazelcastInstance hz) {
        return Accessors.getNode(hz).getThisAddress();
    }

    /**
     * Cuts the member connections between {@code alone} and each of {@code others}, both ways, as
     * {@code SplitBrainTestSupport.blockCommunicationBetween} does (that class needs JUnit 4).
     */
    private void partition(TidemillNode alone, List<TidemillNode> others) {
        HazelcastInstance a = members.get(alone);
        for (TidemillNode o : others) {
            HazelcastInstance b = members.get(o);
            firewall(a).blockNewConnection(address(b));
            firewall(b).blockNewConnection(address(a));
            firewall(a).closeActiveConnection(address(b));
            firewall(b).closeActiveConnection(address(a));
        }
    }

    private void heal(TidemillNode alone, List<TidemillNode> others) {
        for (TidemillNode o : others) {
            HazelcastInstance a = members.get(alone);
            HazelcastInstance b = members.get(o);
            firewall(a).unblock(address(b));
            firewall(b).unblock(address(a));
            // each side refuses joins from members it split from until told otherwise
            Accessors.getNode(a).getJoiner().unblacklist(address(b));
            Accessors.getNode(b).getJoiner().unblacklist(address(a));
        }
    }

    /** The newest checkpoint whose output the sink committed (made visible) in {@code out}. */
    private static OptionalLong newestCommittedPart(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.map(p -> COMMITTED_PART.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1))).max();
        }
    }

    private static long newestRecordedCheckpoint(TidemillNode master, String jobId) throws Exception {
        CheckpointStats s = master.checkpoints(jobId);
        return s.history().isEmpty() ? 0 : s.history().get(s.history().size() - 1).id();
    }

    @Test
    @Timeout(240)
    void theIsolatedMasterStopsAndThePairFinishesTheJobExactlyOnce() throws Exception {
        Path out = dir.resolve("cluster");
        List<String> want = ClusterNexmarkTest.expected(dir.resolve("local"), "q5", EVENTS, 1);
        try (ClusterKit kit = ClusterKit.start(3, 2, this::firewalledNode)) {
            // given a checkpointed job running wholly on the job master
            TidemillNode alone = kit.master();
            List<TidemillNode> pair = kit.nodes.stream().filter(n -> n != alone).toList();
            String id = alone.submit(new SubmitRequest(NexmarkJob.class.getName(), List.of("--query", "q5",
                    "--events", String.valueOf(EVENTS), "--rate", String.valueOf(RATE), "--output", out.toString(),
                    "--exactly-once"), 1, null, 500, null, 100, 200L, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> newestRecordedCheckpoint(alone, id) >= 3
                    && newestCommittedPart(out).isPresent());
            JobDetails before = alone.job(id).orElseThrow();
            String masterAddress = "127.0.0.1:" + alone.hazelcastPort();
            for (JobDetails.VertexView v : before.vertices()) {
                assertEquals(List.of(masterAddress), v.placement(), "every task runs on the master: " + v.name());
            }
            assertEquals(1, alone.runningExecutions());

            // when the master is cut off from the other two
            long cut = System.nanoTime();
            long recordedBefore = newestRecordedCheckpoint(alone, id);
            partition(alone, pair);
            LOG.info("partitioned: {} alone, checkpoint {} recorded before", masterAddress, recordedBefore);

            // then the isolated node sees itself alone and cancels its execution within the failure detection
            await().atMost(Duration.ofSeconds(10)).until(() -> alone.members().size() == 1
                    && alone.runningExecutions() == 0);
            long cancelledMillis = (System.nanoTime() - cut) / 1_000_000;
            OptionalLong committedByMinority = newestCommittedPart(out);
            LOG.info("the isolated node cancelled its execution {} ms after the cut; newest committed part: {}",
                    cancelledMillis, committedByMinority);
            assertTrue(cancelledMillis < 5_000 + 3_000, "cancelled after " + cancelledMillis + " ms");
            assertTrue(!alone.ready(), "the isolated node has no quorum");

            // and the pair elects a master that restarts the job from the latest committed checkpoint
            await().atMost(Duration.ofSeconds(30)).until(() -> pair.stream().anyMatch(TidemillNode::isMaster));
            TidemillNode newMaster = pair.stream().filter(TidemillNode::isMaster).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JobDetails d = newMaster.job(id).orElseThrow();
                return d.status().equals("RUNNING") && d.executionId() != before.executionId();
            });
            long restartedMillis = (System.nanoTime() - cut) / 1_000_000;
            assertEquals(1, kit.nodes.stream().filter(n -> n != alone).mapToInt(TidemillNode::runningExecutions)
                    .sum(), "one node of the pair runs the new execution");
            long recordedByPair = newestRecordedCheckpoint(newMaster, id);
            LOG.info("the pair restarted the job {} ms after the cut; newest checkpoint it knows: {}",
                    restartedMillis, recordedByPair);
            assertTrue(recordedByPair >= recordedBefore, "the pair lost checkpoint " + recordedBefore);
            // the minority made nothing visible the majority does not know as committed
            assertTrue(committedByMinority.orElse(0) <= recordedByPair, "the isolated node committed checkpoint "
                    + committedByMinority + " the pair never recorded (" + recordedByPair + ")");

            // when the partition heals, the isolated node merges into the pair's cluster
            heal(alone, pair);
            await().atMost(Duration.ofSeconds(60)).until(() -> kit.nodes.stream()
                    .allMatch(n -> n.members().size() == 3));
            LOG.info("merged back {} ms after the cut", (System.nanoTime() - cut) / 1_000_000);
            assertTrue(newMaster.isMaster(), "the pair's master stays master after the merge");
            await().atMost(Duration.ofSeconds(5)).until(() -> !alone.isMaster());
            // Hazelcast gives a merging member a new uuid; the node must listen for commands under it
            String mergedUuid = alone.members().stream().filter(MemberView::local).findFirst().orElseThrow().id();
            await().atMost(Duration.ofSeconds(5)).until(() -> alone.memberId().equals(mergedUuid));

            // then the job finishes with exactly the failure-free output
            ClusterNexmarkTest.awaitStatus(newMaster, id, "FINISHED");
            LOG.info("finished {} ms after the cut", (System.nanoTime() - cut) / 1_000_000);
            List<String> got = ClusterNexmarkTest.rows(out);
            assertEquals(want.size() - new HashSet<>(want).size(), got.size() - new HashSet<>(got).size(),
                    "duplicate rows");
            assertEquals(want.size(), got.size(), "row count");
            assertEquals(want, got, "rows");
            // a member reports its end before it forgets the execution
            await().atMost(Duration.ofSeconds(5)).until(() -> kit.nodes.stream()
                    .allMatch(n -> n.runningExecutions() == 0));
            assertNotEquals(before.executionId(), newMaster.job(id).orElseThrow().executionId());
        }
    }
}
