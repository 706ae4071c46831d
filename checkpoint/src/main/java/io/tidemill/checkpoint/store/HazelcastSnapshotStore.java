package io.tidemill.checkpoint.store;

import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Blobs in a Hazelcast IMap: fast, and with the map's backups it survives the loss of a member. The
 * values are plain {@code byte[]} (Hazelcast's own binary format, no Java serialization). Configure
 * the map's {@code backup-count} (default 1) for the failures to survive.
 */
public final class HazelcastSnapshotStore implements SnapshotStore {
    private final IMap<String, byte[]> map;

    public HazelcastSnapshotStore(IMap<String, byte[]> map) {
        this.map = map;
    }

    @Override
    public void put(String key, byte[] blob) {
        map.set(key, Blobs.frame(blob));
    }

    @Override
    public byte[] get(String key) {
        byte[] b = map.get(key);
        return b == null ? null : Blobs.unframe(b, key);
    }

    @Override
    public void delete(String key) {
        for (String k : list(key)) {
            if (k.equals(key) || k.startsWith(key.endsWith("/") ? key : key + "/")) {
                map.delete(k);
            }
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String k : map.keySet()) {
            if (k.startsWith(prefix)) {
                keys.add(k);
            }
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String describe() {
        return "Hazelcast map " + map.getName();
    }
}
