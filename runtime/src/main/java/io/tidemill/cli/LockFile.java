package io.tidemill.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a file a run owns (a state directory, an output), held by this process until
 * {@link #close}. It is an OS lock ({@link FileChannel#tryLock}) on a lock file that holds the
 * holder's pid: the OS releases it when the process ends in any way, also after {@code kill -9}, so a
 * lock file left behind never blocks a rerun, and a second run refuses to start, naming the holder.
 *
 * <pre>{@code
 * try (LockFile lock = LockFile.acquire(stateDir.resolve(".lock"), "state directory " + stateDir)) {
 *     ... run ...
 * }
 * }</pre>
 */
public final class LockFile implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process (or another run in this one) holds the lock; the message names its pid. */
    public static final class HeldException extends IOException {
        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock at {@code lockFile} (created if missing) and writes this process's pid into it.
     *
     * @param what what the lock guards, for the message if it is held, e.g. {@code "state directory state/"}
     * @throws HeldException if another run holds it
     */
    public static LockFile acquire(Path lockFile, String what) throws IOException {
        Path parent = lockFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) { // a run in this very process holds it
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = readPid(ch);
            ch.close();
            throw new HeldException(what + " is in use by " + (holder.isEmpty() ? "another process" : "process "
                    + holder) + " (lock file " + lockFile + "); wait for it to end or stop it, then run again");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new LockFile(ch, lock);
    }

    /** The pid written by the holder; empty if it has not written it yet. */
    private static String readPid(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
    }

    /** The lock file beside {@code path}: {@code <dir>/.<name>.lock}, hidden as in-progress files are. */
    public static Path beside(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".lock");
    }

    /** Releases the lock; the file stays (deleting it would race with a run about to lock it). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
