package io.tidemill.checkpoint.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.tidemill.checkpoint.codec.CorruptSnapshotException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link SnapshotStore} contract, run against every store: a directory, and a Hazelcast map on
 * real embedded members. Each case reaches under the store ({@link Backend#raw}) to corrupt what it
 * wrote, as a failing disk or a stray writer would.
 */
class SnapshotStoreTest {
    private static final String MAP = "tidemill-snapshots";

    @TempDir
    Path dir;

    private final List<HazelcastInstance> members = new ArrayList<>();

    @AfterEach
    void shutDownMembers() {
        for (HazelcastInstance m : members) {
            m.getLifecycleService().terminate();
        }
    }

    /** A store and raw access to the bytes it keeps. */
    interface Backend {
        SnapshotStore store();

        byte[] raw(String key) throws IOException;

        void raw(String key, byte[] bytes) throws IOException;
    }

    enum Kind { FILE, HAZELCAST }

    private Backend open(Kind kind) throws Exception {
        return switch (kind) {
            case FILE -> {
                FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
                yield new Backend() {
                    @Override
                    public SnapshotStore store() {
                        return store;
                    }

                    @Override
                    public byte[] raw(String key) throws IOException {
                        return Files.readAllBytes(store.root().resolve(key));
                    }

                    @Override
                    public void raw(String key, byte[] bytes) throws IOException {
                        Files.createDirectories(store.root().resolve(key).getParent());
                        Files.write(store.root().resolve(key), bytes);
                    }
                };
            }
            case HAZELCAST -> {
                IMap<String, byte[]> map = startCluster(1).get(0).getMap(MAP);
                HazelcastSnapshotStore store = new HazelcastSnapshotStore(map);
                yield new Backend() {
                    @Override
                    public SnapshotStore store() {
                        return store;
                    }

                    @Override
                    public byte[] raw(String key) {
                        return map.get(key);
                    }

                    @Override
                    public void raw(String key, byte[] bytes) {
                        map.set(key, bytes);
                    }
                };
            }
        };
    }

    /**
     * {@code n} members on 127.0.0.1 forming one cluster of a fresh name: TCP-IP join on fixed free
     * ports, no multicast, no auto-detection, no phone home; the snapshot map keeps one backup.
     */
    private List<HazelcastInstance> startCluster(int n) throws IOException {
        String cluster = "snapshot-store-test-" + UUID.randomUUID();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                ports.add(s.getLocalPort());
            }
        }
        List<HazelcastInstance> started = new ArrayList<>();
        for (int port : ports) {
            Config config = new Config();
            config.setClusterName(cluster);
            config.setInstanceName(cluster + "-" + port);
            config.setProperty("hazelcast.phone.home.enabled", "false");
            config.setProperty("hazelcast.logging.type", "none"); // assertions say what went wrong; members are chatty
            config.setProperty("hazelcast.wait.seconds.before.join", "0");
            config.setProperty("hazelcast.socket.bind.any", "false");
            NetworkConfig network = config.getNetworkConfig();
            network.setPort(port).setPortAutoIncrement(false);
            network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true);
            for (int p : ports) {
                join.getTcpIpConfig().addMember("127.0.0.1:" + p);
            }
            config.getMapConfig(MAP).setBackupCount(1);
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            members.add(member);
            started.add(member);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> started.stream().allMatch(m -> m.getCluster().getMembers().size() == n));
        return started;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenAPutBlob_whenRead_thenTheSameBytesComeBack(Kind kind) throws Exception {
        SnapshotStore store = open(kind).store();
        byte[] blob = new byte[100_000];
        new java.util.Random(7).nextBytes(blob);

        store.put("chk-1/t0", blob);

        assertArrayEquals(blob, store.get("chk-1/t0"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenAKeyWrittenTwice_whenRead_thenTheLastBlobWins(Kind kind) throws Exception {
        SnapshotStore store = open(kind).store();
        store.put("savepoint-1/_metadata", bytes("first"));

        store.put("savepoint-1/_metadata", bytes("second"));

        assertArrayEquals(bytes("second"), store.get("savepoint-1/_metadata"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenNoBlobUnderAKey_whenRead_thenNullComesBack(Kind kind) throws Exception {
        SnapshotStore store = open(kind).store();
        store.put("chk-1/t0", bytes("x"));

        assertNull(store.get("chk-1/t1"));
        assertNull(store.get("chk-2/_metadata"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenBlobsUnderSeveralPrefixes_whenListed_thenOnlyKeysWithThePrefixComeBackSorted(Kind kind)
            throws Exception {
        SnapshotStore store = open(kind).store();
        for (String k : List.of("chk-10/t0", "chk-1/t1", "chk-1/_metadata", "chk-1/t0", "savepoint-1/t0")) {
            store.put(k, bytes(k));
        }

        assertEquals(List.of("chk-1/_metadata", "chk-1/t0", "chk-1/t1"), store.list("chk-1/"));
        assertEquals(List.of("chk-1/_metadata", "chk-1/t0", "chk-1/t1", "chk-10/t0"), store.list("chk-"));
        assertEquals(List.of("savepoint-1/t0"), store.list("savepoint"));
        assertEquals(List.of(), store.list("chk-2"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenACheckpointPrefix_whenDeleted_thenItsBlobsAreGoneAndOthersStay(Kind kind) throws Exception {
        SnapshotStore store = open(kind).store();
        for (String k : List.of("chk-1/t0", "chk-1/_metadata", "chk-10/t0", "chk-2/t0")) {
            store.put(k, bytes(k));
        }

        store.delete("chk-1");

        assertEquals(List.of("chk-10/t0", "chk-2/t0"), store.list("chk-"));
        assertNull(store.get("chk-1/t0"));
        assertArrayEquals(bytes("chk-10/t0"), store.get("chk-10/t0"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenAMissingPrefix_whenDeleted_thenNothingHappens(Kind kind) throws Exception {
        SnapshotStore store = open(kind).store();
        store.put("chk-1/t0", bytes("x"));

        store.delete("chk-7");

        assertEquals(List.of("chk-1/t0"), store.list(""));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenABlobWithAFlippedByte_whenRead_thenCorruptionIsReportedNamingTheKey(Kind kind) throws Exception {
        Backend backend = open(kind);
        backend.store().put("chk-3/t1", bytes("the state of task 1"));
        byte[] raw = backend.raw("chk-3/t1");
        raw[raw.length - 3] ^= 0x10;
        backend.raw("chk-3/t1", raw);

        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> backend.store().get("chk-3/t1"));

        assertTrue(e.getMessage().contains("chk-3/t1"), e.getMessage());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenATruncatedBlob_whenRead_thenCorruptionIsReported(Kind kind) throws Exception {
        Backend backend = open(kind);
        backend.store().put("chk-3/t1", bytes("the state of task 1"));
        byte[] raw = backend.raw("chk-3/t1");
        backend.raw("chk-3/t1", java.util.Arrays.copyOf(raw, raw.length - 5));

        assertThrows(CorruptSnapshotException.class, () -> backend.store().get("chk-3/t1"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenRawBytesThatAreNoBlob_whenRead_thenCorruptionIsReported(Kind kind) throws Exception {
        Backend backend = open(kind);
        backend.raw("chk-3/t1", bytes("{\"not\": \"a tidemill blob\"}"));

        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> backend.store().get("chk-3/t1"));

        assertTrue(e.getMessage().contains("not a Tidemill snapshot blob"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void givenABlobOfAnotherFormatVersion_whenRead_thenItIsRefusedNamingTheVersion(Kind kind) throws Exception {
        Backend backend = open(kind);
        backend.store().put("chk-3/t1", bytes("written by a future build"));
        byte[] raw = backend.raw("chk-3/t1");
        ByteBuffer.wrap(raw).putInt(4, Blobs.FORMAT_VERSION + 1);
        backend.raw("chk-3/t1", raw);

        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> backend.store().get("chk-3/t1"));

        assertTrue(e.getMessage().contains("format version " + (Blobs.FORMAT_VERSION + 1)), e.getMessage());
    }

    @Test
    void givenTwoMembers_whenTheMemberABlobWasWrittenThroughIsLost_thenTheOtherStillReadsIt() throws Exception {
        List<HazelcastInstance> cluster = startCluster(2);
        SnapshotStore viaFirst = new HazelcastSnapshotStore(cluster.get(0).getMap(MAP));
        SnapshotStore viaSecond = new HazelcastSnapshotStore(cluster.get(1).getMap(MAP));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            keys.add("chk-1/t" + i);
            viaFirst.put("chk-1/t" + i, bytes("blob " + i));
        }

        cluster.get(0).getLifecycleService().terminate();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.get(1).getCluster().getMembers().size() == 1);

        keys.sort(null);
        // The survivor promotes its backups after the member left; every blob must come back.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> viaSecond.list("chk-1/").equals(keys));
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(bytes("blob " + i), viaSecond.get("chk-1/t" + i), "blob " + i);
        }
    }
}
