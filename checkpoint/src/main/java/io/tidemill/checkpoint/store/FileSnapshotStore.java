package io.tidemill.checkpoint.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Blobs as files under a directory (durable across a full restart, e.g. a Kubernetes volume). A put
 * writes a temporary file, forces it to disk, renames it into place and forces the directory (see
 * {@link AtomicRename}), so a crash leaves either the old state or the new, never half a blob.
 *
 * <p>Reads report I/O errors (a permission, a failing disk) with the file's path; only a missing file
 * is "no blob", so a caller can tell an unreadable store from an empty or corrupt one.
 */
public final class FileSnapshotStore implements SnapshotStore {
    private final Path root;

    public FileSnapshotStore(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        Files.createDirectories(this.root);
    }

    public Path root() {
        return root;
    }

    private Path pathOf(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("snapshot key escapes the store: " + key);
        }
        return p;
    }

    @Override
    public void put(String key, byte[] blob) throws IOException {
        Path target = pathOf(key);
        if (!Files.isDirectory(target.getParent())) {
            // a new checkpoint's directory: its own entry must be durable too, or the blobs vanish with it
            Files.createDirectories(target.getParent());
            AtomicRename.forceDirectory(target.getParent().getParent());
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(Blobs.frame(blob));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        AtomicRename.commit(tmp, target);
    }

    @Override
    public byte[] get(String key) throws IOException {
        Path file = pathOf(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
        return Blobs.unframe(bytes, key);
    }

    @Override
    public void delete(String key) throws IOException {
        Path p = pathOf(key);
        if (!Files.isDirectory(p)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                try {
                    Files.deleteIfExists(d);
                } catch (IOException notEmpty) {
                    // a write in flight re-created a file; the directory stays, without metadata it is ignored
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Lists keys; files vanishing meanwhile (writes in flight, deletes) are skipped, other errors (an
     * unreadable directory) are thrown: a listing that silently misses checkpoints is not empty.
     */
    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                String k = root.relativize(p).toString().replace('\\', '/');
                if (attrs.isRegularFile() && k.startsWith(prefix) && !p.getFileName().toString().startsWith(".")) {
                    keys.add(k);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw new IOException("cannot list " + p + ": " + e, e);
            }
        });
        keys.sort(null);
        return keys;
    }

    @Override
    public String describe() {
        return "directory " + root;
    }
}
