package io.tidemill.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Says in words what went wrong with a file, for people rather than stack traces: the JDK's
 * {@code java.nio.file.AccessDeniedException: /data/out} becomes {@code /data/out: permission denied}.
 * Messages for a command line or a job failure go through {@link #inWords}, so no Java class name of
 * a common I/O error reaches a user.
 */
public final class FileErrors {
    private FileErrors() {}

    /**
     * The failure in words: for file system errors the path and what is wrong with it, for other
     * I/O errors their message; other exceptions keep their class name (a programming error, where
     * the class says most), unless they only wrap another exception (then that one is described).
     */
    public static String inWords(Throwable t) {
        Throwable cause = t.getCause();
        if (cause != null && (t instanceof UncheckedIOException || t.getMessage() == null
                || t.getMessage().equals(cause.toString()))) {
            return inWords(cause);
        }
        if (t instanceof FileSystemException f) {
            return where(f) + ": " + what(f);
        }
        if (t instanceof EOFException) {
            return t.getMessage() == null ? "unexpected end of file" : "unexpected end of file: " + t.getMessage();
        }
        if (t instanceof IOException) {
            return t.getMessage() != null ? t.getMessage()
                    : t.getCause() != null ? inWords(t.getCause()) : "input/output error";
        }
        if (t.getMessage() == null) {
            return t.getClass().getName();
        }
        return t.getClass().getName() + ": " + t.getMessage();
    }

    private static String where(FileSystemException f) {
        if (f.getFile() == null) {
            return "a file";
        }
        return f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
    }

    private static String what(FileSystemException f) {
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (f instanceof FileAlreadyExistsException) {
            // createDirectories on a path that is a file says only "already exists"
            return f.getFile() != null && Files.isRegularFile(Path.of(f.getFile()))
                    ? "already exists, as a file (a directory is needed here?)" : "already exists";
        }
        String reason = f.getReason();
        if (reason == null || reason.isBlank()) {
            return "input/output error";
        }
        if (reason.equals("Not a directory") && f.getFile() != null && f.getOtherFile() == null) {
            // the OS names the whole path; say which part of it is a file
            for (Path p = Path.of(f.getFile()).getParent(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p)) {
                    return p + " is a file, not a directory";
                }
            }
        }
        // the operating system's words ("Not a directory", "No space left on device"), as in a sentence
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
